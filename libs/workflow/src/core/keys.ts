/** Where a run takes the keys of the element instances and waits it creates (synchronously). */
export interface KeySource {
  next(): string;
}

/** A run needed more keys than it was given: the caller draws more and runs it again (a run is pure). */
export class OutOfKeys extends Error {
  constructor(readonly used: number) {
    super(`The run needed more than ${used} keys`);
    this.name = 'OutOfKeys';
  }
}

/** Keys drawn beforehand from the database's sequence, handed out in order. */
export class KeyBlock implements KeySource {
  private used = 0;

  constructor(private readonly keys: string[]) {}

  next(): string {
    if (this.used >= this.keys.length) throw new OutOfKeys(this.keys.length);
    return this.keys[this.used++];
  }
}
