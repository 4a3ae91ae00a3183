// The Invoke input box: what it starts with (the last arguments, else the
// server's WAVE template with the values selected) and what it accepts.

export interface InitialInput {
  value: string;
  /** Start and end offsets of the selection in `value`. */
  selection: [number, number];
}

/**
 * Remembered arguments come back whole and selected; a template such as
 * `(0, "")` comes with everything between its parentheses selected, so
 * typing replaces the placeholders.
 */
export function initialInput(template: string, remembered?: string): InitialInput {
  if (remembered !== undefined && remembered.trim() !== "") {
    return { value: remembered, selection: [0, remembered.length] };
  }
  const open = template.indexOf("(");
  const close = template.lastIndexOf(")");
  if (open >= 0 && close > open + 1) {
    return { value: template, selection: [open + 1, close] };
  }
  return { value: template, selection: [template.length, template.length] };
}

/**
 * A reason the input cannot be WAVE arguments (unbalanced brackets or an
 * unclosed string), or undefined. The server parses the real thing; this
 * only catches what a half-typed line gets wrong, while typing.
 */
export function argumentProblem(input: string): string | undefined {
  const closing: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c in closing) stack.push(closing[c]);
    else if (c === ")" || c === "]" || c === "}") {
      const expected = stack.pop();
      if (expected !== c) {
        return expected
          ? `\`${c}\` at column ${i + 1} closes nothing open; expected \`${expected}\``
          : `\`${c}\` at column ${i + 1} closes nothing`;
      }
    }
  }
  if (quote) return `a string opened with ${quote} is not closed`;
  if (stack.length > 0) return `\`${stack[stack.length - 1]}\` is missing at the end`;
  return undefined;
}
