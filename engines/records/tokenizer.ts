/**
 * The wordcount flatMap: splits a text record's sentence into words and emits one row
 * (word) per word, stamped with the record's event time. A word is a maximal run of ASCII
 * letters and digits, lowercased; everything else separates words. The sentence is decoded
 * once (the string a JavaScript job would have), each word is a substring of it.
 */
import type { RecordColumns } from '../../primitives/record-columns.js';
import type { StringArena } from '../../primitives/string-arena.js';
import type { RowField, RowSink, SlotStage } from './record-stage.js';

/** The tokenizer's settings. */
export interface TokenizerSpec {
  /** The string column holding the sentence (default `text`). */
  column?: string;
}

/** Whether a UTF-16 code unit is part of a word, and whether it is an upper-case letter. */
const WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) WORD[c] = 1;
for (let c = 97; c <= 122; c++) WORD[c] = 1;
for (let c = 65; c <= 90; c++) WORD[c] = 2;

/** flatMap(sentence → words). */
export class Tokenizer implements SlotStage {
  private readonly dateTime: Float64Array;
  private readonly strings: StringArena;
  private readonly column: number;
  private readonly fields: RowField[] = [''];

  constructor(columns: RecordColumns, private readonly next: RowSink, spec: TokenizerSpec = {}) {
    this.dateTime = columns.float64('dateTime');
    this.strings = columns.strings;
    this.column = columns.stringColumn(spec.column ?? 'text');
  }

  push(slot: number): void {
    const text = this.strings.decode(slot, this.column);
    const time = this.dateTime[slot];
    let start = -1;
    let upper = false;
    for (let i = 0; i <= text.length; i++) {
      const code = i < text.length ? text.charCodeAt(i) : 32;
      const kind = code < 128 ? WORD[code] : 0;
      if (kind !== 0) {
        if (start < 0) start = i;
        if (kind === 2) upper = true;
      } else if (start >= 0) {
        const word = text.slice(start, i);
        this.fields[0] = upper ? word.toLowerCase() : word;
        this.next.row(time, this.fields);
        start = -1;
        upper = false;
      }
    }
  }

  finish(): void {
    this.next.finish();
  }

  snapshotState(): null {
    return null;
  }

  restoreState(): void {}
}
