import type { Rule } from '../../src/rules/types.js';
import { callChain, isChainTop, stringValue } from '../../src/rules/helpers.js';

/**
 * typeorm: what this rule sees, in one paragraph. Say which calls read, which write,
 * how model declarations map names, and what it leaves to the core (raw SQL strings).
 */
const rule: Rule = {
  name: 'typeorm',
  enablers: ['typeorm'],
  meta: {
    docs: 'https://example.com/docs',
    upstream: 'https://github.com/owner/typeorm',
    sees: 'one line for the README table',
    defaultConfidence: 'high',
  },
  visitors: {
    // Chains are read once, from their last call.
    CallExpression(node, ctx) {
      if (!isChainTop(node)) return undefined;
      const chain = callChain(node);
      const first = chain.links[0];
      const table = stringValue(first?.args[0], ctx);
      if (first?.method !== 'from' || table === undefined) return undefined;
      return {
        refs: [{ kind: 'use', relations: [{ table }], role: 'read', position: first.args[0]!.getStart(ctx.sourceFile) + 1 }],
        covers: node,
      };
    },
  },
};

export default rule;
