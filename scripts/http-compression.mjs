/**
 * How scripts/serve.mjs compresses answers (the `compression` middleware's options), in its own
 * module so the sync bench (scripts/bench/sync.ts) measures a first sync's bytes on the wire
 * exactly as served.
 */
import { constants } from 'node:zlib';

/**
 * Brotli at quality 4 compresses HTML about as well as gzip -9 at a fraction of brotli 11's
 * cost; answers are made per request, so the CPU spent counts on a two-core station box. gzip
 * keeps zlib's default level (6).
 */
export const BROTLI_PARAMS = { [constants.BROTLI_PARAM_QUALITY]: 4 };

export const compressionOptions = { brotli: { params: BROTLI_PARAMS } };
