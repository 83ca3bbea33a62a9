import { mix32 } from '../../primitives/random.js';
import type { OperatorCodegen } from './fragment.js';
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

/** The flatMap operator's generated form: the rest of the pipeline inside the loop over the words. */
export const flatMapCodegen: OperatorCodegen<FlatMapSpec> = (spec, scope) => {
  const mix = scope.bind('mix32', mix32);
  return {
    maxOutputs: spec.maxTokens,
    code({ t, k, v }, next) {
      const tokens = scope.local('tokens');
      const i = scope.local('token');
      const word = scope.local('word');
      return [
        `const ${tokens} = 1 + (${v} % ${scope.literal(spec.maxTokens)});`,
        `for (let ${i} = 0; ${i} < ${tokens}; ${i}++) {`,
        `const ${word} = ${mix}(${v}, ${i}) % ${scope.literal(spec.vocabulary)};`,
        next({ t, k, v: word }),
        '}',
      ].join('\n');
    },
  };
};
