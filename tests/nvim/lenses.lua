-- Drives wasmlens' run lenses through the Neovim plugin in editors/nvim,
-- headless:
--   nvim --headless --clean -l lenses.lua PLUGIN SERVER FILE RESULT
-- Loads the plugin the way the README says, in a config whose user has an
-- `on_attach` of their own, opens FILE and waits for the lenses (the
-- plugin refreshes them; this script does not). Then `:Wasmlens invoke` on
-- `export add` with arguments typed into the prompt (vim.ui.input, the
-- documented hook, answering for the user) and `:Wasmlens trace` on
-- `export greet`; the next Invoke of `add` offers the same arguments, but
-- `add` in a copy of the package (another file) and in another world of
-- that copy starts from the template again. Last, an Invoke whose server
-- sends no template still prompts, from `()`. What the prompts offered and
-- the output buffer shows go to RESULT as JSON for the Rust test
-- (tests/tests/e2e/nvim.rs).

local plugin, server, file, result_path = arg[1], arg[2], arg[3], arg[4]
local here = vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))
local harness = dofile(vim.fs.joinpath(here, 'harness.lua')).init(result_path)
local result = harness.result

local finish, step = harness.finish, harness.step

-- The README's setup: the plugin on 'runtimepath', then enable. This user
-- also attaches a function of their own, which replaces any `on_attach`
-- of the plugin's config.
vim.opt.runtimepath:prepend(plugin)
vim.cmd.runtime('ftdetect/wit.lua')
vim.cmd.runtime('plugin/wasmlens.lua')
result.user_on_attach = {}
vim.lsp.config('wasmlens', {
  cmd = { server, 'lsp' },
  on_attach = function(_, bufnr)
    table.insert(result.user_on_attach, vim.api.nvim_buf_get_name(bufnr))
  end,
})
vim.lsp.enable('wasmlens')

-- The user's answers to the prompts, in order (false: Escape).
harness.answer_prompts({ '(20, 22)', '("nvim")', false, '(5, 6)', false, false })
-- Should the server ask for consent (a build, or grants of wasmlens.toml).
harness.answer_selects('Allow once')

local function output_text()
  local out = vim.fn.bufnr('wasmlens://output')
  if out == -1 then
    return ''
  end
  return table.concat(vim.api.nvim_buf_get_lines(out, 0, -1, false), '\n')
end

local function resolved_lenses(buf)
  local lenses = {}
  for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
    if lens.command then
      table.insert(lenses, lens)
    end
  end
  return lenses
end

local function titles(lenses)
  return vim.tbl_map(function(lens)
    return lens.command.title
  end, lenses)
end

--- The 0-based line of the first match of `pattern` at or after line
--- `from` (1-based).
local function line_of(pattern, from)
  vim.api.nvim_win_set_cursor(0, { from or 1, 0 })
  return vim.fn.search(pattern, 'cnW') - 1
end

--- Opens `path` and waits for wasmlens to attach and for a resolved
--- ▶ Invoke lens on each line `wanted()` gives. Only the plugin refreshes
--- lenses; the user idling (CursorHold) is all this adds.
local function open_with_lenses(path, name, wanted_lines)
  vim.cmd.edit(path)
  local buf = vim.api.nvim_get_current_buf()
  local attached = vim.wait(15000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'wasmlens' }) > 0
  end, 20)
  if name == 'lenses' then
    step('filetype', vim.bo[buf].filetype == 'wit', vim.bo[buf].filetype)
    step('attach', attached)
  end
  local wanted = wanted_lines()
  local shown = vim.wait(15000, function()
    vim.api.nvim_exec_autocmds('CursorHold', { buffer = buf })
    local lines_with_invoke = {}
    for _, lens in ipairs(resolved_lenses(buf)) do
      if lens.command.title == '▶ Invoke' then
        lines_with_invoke[lens.range.start.line] = true
      end
    end
    return vim.iter(wanted):all(function(line)
      return lines_with_invoke[line]
    end)
  end, 100)
  result[name] = titles(resolved_lenses(buf))
  step(name, attached and shown)
  return buf
end

local function cursor_on(pattern, from)
  vim.api.nvim_win_set_cursor(0, { line_of(pattern, from) + 1, 0 })
end

local function run_on(pattern, kind, expected)
  cursor_on(pattern)
  vim.cmd('Wasmlens ' .. kind)
  local seen = vim.wait(15000, function()
    return output_text():find(expected, 1, true) ~= nil
  end, 20)
  step(kind, seen, output_text())
end

--- Runs `:Wasmlens invoke` and returns what the (next) prompt offered.
local function prompt_offers()
  local asked = #result.prompts
  vim.cmd('Wasmlens invoke')
  vim.wait(15000, function()
    return #result.prompts > asked
  end, 20)
  return result.prompts[asked + 1] and result.prompts[asked + 1].default
end

open_with_lenses(file, 'lenses', function()
  return { line_of('export add') }
end)
run_on('export add', 'invoke', 'add(20, 22) = 42')
run_on('export greet', 'trace', 'greet(name: "nvim") -> "Hello, nvim!"')
step(
  'user on_attach',
  vim.tbl_contains(result.user_on_attach, vim.api.nvim_buf_get_name(0)),
  vim.inspect(result.user_on_attach)
)

-- The same export again: the arguments typed last (Escape: nothing runs).
cursor_on('export add')
local offered = prompt_offers()
step('remembered', offered == '(20, 22)', offered)

-- The same package copied (another file), with a second world that also
-- exports `add`: neither starts from what was typed for the first file.
local copy = vim.fn.tempname()
local root = vim.fs.dirname(vim.fs.dirname(file))
harness.copy_tree(root, copy)
local copied = vim.fs.joinpath(copy, vim.fs.relpath(root, file))
vim.fn.writefile({ '', 'world calc-too {', '    export add: func(a: u32, b: u32) -> u32;', '}' }, copied, 'a')
local function calc_too()
  return line_of('world calc-too') + 1
end
open_with_lenses(copied, 'copy lenses', function()
  return { line_of('export add'), line_of('export add', calc_too()) }
end)
cursor_on('export add')
offered = prompt_offers()
local ran = vim.wait(15000, function()
  return output_text():find('add(5, 6) = 11', 1, true) ~= nil
end, 20)
step('another file', offered == '(0, 0)' and ran, ('offered %s; output:\n%s'):format(offered, output_text()))

cursor_on('export add', calc_too())
offered = prompt_offers()
step('another world', offered == '(0, 0)', offered)

-- A server that answers the template request with nothing: the prompt
-- still opens, from `()`, and says why.
local notified = {}
local notify, get_client = vim.notify, vim.lsp.get_client_by_id
vim.notify = function(message, level)
  table.insert(notified, { message = message, level = level })
end
vim.lsp.get_client_by_id = function()
  return {
    request = function(_, _, _, handler)
      handler(nil, nil)
    end,
  }
end
local asked = #result.prompts
vim.lsp.commands['wasmlens.invoke']({
  command = 'wasmlens.invoke',
  arguments = {
    { kind = 'invoke', uri = vim.uri_from_fname(copied), world = 'test:calc/none', export = 'f', stale = false },
  },
}, { client_id = 0, bufnr = 0 })
vim.wait(5000, function()
  return #result.prompts > asked
end, 20)
vim.notify, vim.lsp.get_client_by_id = notify, get_client
offered = result.prompts[asked + 1] and result.prompts[asked + 1].default
local explained = vim.iter(notified):any(function(n)
  return n.message:find('no argument template', 1, true) ~= nil and n.level == vim.log.levels.WARN
end)
step('no template', offered == '()' and explained, ('offered %s; %s'):format(offered, vim.inspect(notified)))

result.output = output_text()
result.output_window = vim.fn.bufwinid('wasmlens://output') ~= -1
finish()
