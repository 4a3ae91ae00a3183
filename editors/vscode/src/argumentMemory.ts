// The last arguments typed for each export, so the next Invoke starts from
// them. Kept in the workspace's state (VS Code's Memento), per component
// world and export.

export interface Store {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/** What a lens runs: its WIT file, world and export. */
export interface LensTarget {
  uri: string;
  world: string;
  export?: string | null;
}

const PREFIX = "wasmlens.arguments/";

export class ArgumentMemory {
  constructor(private readonly store: Store) {}

  static key(target: LensTarget): string {
    return `${PREFIX}${target.uri}#${target.world}#${target.export ?? ""}`;
  }

  recall(target: LensTarget): string | undefined {
    return this.store.get<string>(ArgumentMemory.key(target));
  }

  async remember(target: LensTarget, args: string): Promise<void> {
    await this.store.update(ArgumentMemory.key(target), args);
  }
}
