// The results shown at the end of an export's line for
// wasmlens.lens.inlineResultSeconds. Each result has its own timer, and
// that timer removes only its own result: a newer result in the same place
// replaces the older one and cancels its timer, so an earlier run can never
// clear a later run's result. Drawing is the caller's (`draw`), so this
// has no vscode import and is unit-tested.

interface Shown<T> {
  item: T;
  timer: ReturnType<typeof setTimeout>;
}

export class InlineResults<T> {
  /** By document, then by place in it (one result per place). */
  private readonly shown = new Map<string, Map<string, Shown<T>>>();

  /** `draw(document, items)` replaces what the document shows with `items`. */
  constructor(private readonly draw: (document: string, items: T[]) => void) {}

  /** Shows `item` at `place` in `document` for `seconds`, replacing what was there. */
  show(document: string, place: string, item: T, seconds: number): void {
    let places = this.shown.get(document);
    if (!places) {
      places = new Map();
      this.shown.set(document, places);
    }
    const previous = places.get(place);
    if (previous) clearTimeout(previous.timer);
    const entry: Shown<T> = { item, timer: setTimeout(() => this.expire(document, place, entry), seconds * 1000) };
    places.set(place, entry);
    this.draw(document, this.items(document));
  }

  /** What `document` shows now, e.g. to draw it again in an editor that reopens it. */
  items(document: string): T[] {
    return [...(this.shown.get(document)?.values() ?? [])].map((shown) => shown.item);
  }

  private expire(document: string, place: string, entry: Shown<T>): void {
    const places = this.shown.get(document);
    // A newer result took the place (its timer was cleared, but a callback
    // already queued may still run).
    if (places?.get(place) !== entry) return;
    places.delete(place);
    if (places.size === 0) this.shown.delete(document);
    this.draw(document, this.items(document));
  }

  dispose(): void {
    for (const places of this.shown.values()) {
      for (const shown of places.values()) clearTimeout(shown.timer);
    }
    this.shown.clear();
  }
}
