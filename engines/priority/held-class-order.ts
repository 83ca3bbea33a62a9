/**
 * The classes of a classified sink's held output records in the order they were produced,
 * so that a partial delivery (a slow sink's write of the `count` oldest records) takes the
 * oldest records across both classes. The priority lane delivers its class's held records
 * ahead of the rest; their marks stay in place and are passed over later (each class's
 * held records leave oldest first, so the marks passed over are always its oldest).
 */
/** The production order of held records' classes (see the file's doc). */
export class HeldClassOrder {
  /** 1 = priority, 0 = normal, per held record in production order: marks [first, pending). */
  private marks = new Uint8Array(1024);
  private first = 0;
  private pending = 0;
  /** Priority records among the marks that already left ahead of the rest. */
  private priorityGone = 0;

  /** A record of the given class was produced. */
  note(priority: boolean): void {
    if (this.pending === this.marks.length) this.makeRoom();
    this.marks[this.pending++] = priority ? 1 : 0;
  }

  /** The `count` oldest held records leave: returns how many of them are priority records. */
  take(count: number): number {
    let priority = 0;
    let taken = 0;
    let i = this.first;
    while (taken < count && i < this.pending) {
      const mark = this.marks[i++];
      if (mark === 1 && this.priorityGone > 0) {
        this.priorityGone--;
        continue;
      }
      priority += mark;
      taken++;
    }
    this.first = i;
    if (this.first === this.pending) this.clear();
    return priority;
  }

  /** `count` of the oldest held priority records left ahead of the rest. */
  priorityLeft(count: number): void {
    this.priorityGone += count;
  }

  /** Every held record left. */
  clear(): void {
    this.first = this.pending = this.priorityGone = 0;
  }

  private makeRoom(): void {
    if (this.first > 0) {
      this.marks.copyWithin(0, this.first, this.pending);
      this.pending -= this.first;
      this.first = 0;
      return;
    }
    const marks = new Uint8Array(this.marks.length * 2);
    marks.set(this.marks);
    this.marks = marks;
  }
}
