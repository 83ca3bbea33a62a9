/** A set of non-negative integers (schedule indexes), as a growable bitmap: one bit per index. */
export class SeenSet {
  private bits = new Uint32Array(1 << 12);

  /** Adds `n`; false when it was already there. */
  addIfNew(n: number): boolean {
    const word = n >>> 5;
    if (word >= this.bits.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const bit = 1 << (n & 31);
    if ((this.bits[word] & bit) !== 0) return false;
    this.bits[word] |= bit;
    return true;
  }
}
