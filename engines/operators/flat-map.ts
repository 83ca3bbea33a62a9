import { mix32 } from '../../primitives/random.js';
import type { OperatorFactory, Stage } from './stage.js';

/**
 * Tokenises a record: its value stands for a line of `1 + value mod maxTokens` words; one
 * record is emitted per word, each with a word id derived from the line and the position.
 */
export interface FlatMapSpec {
  op: 'flatMap';
  maxTokens: number;
  vocabulary: number;
}

/** The flatMap operator. */
export const flatMap: OperatorFactory<FlatMapSpec> = (spec, next): Stage => ({
  push(eventTimeUs, key, value) {
    const tokens = 1 + (value % spec.maxTokens);
    for (let i = 0; i < tokens; i++) next.push(eventTimeUs, key, mix32(value, i) % spec.vocabulary);
  },
  finish() {
    next.finish();
  },
});
