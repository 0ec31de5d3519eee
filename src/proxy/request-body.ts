// Reads a client's request body once (it is needed for the filter and for failover), within a size limit, decoded.
import { gunzipSync } from "node:zlib";

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

export class BadBodyEncoding extends Error {}

/** Reads the body, refusing more than `limit` bytes (checked as it arrives, not after). */
export async function readBody(req: Request, limit: number): Promise<Uint8Array | undefined> {
  if (req.body === null) return undefined;
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(limit);
  if (Number.isFinite(declared)) {
    const bytes = new Uint8Array(await req.arrayBuffer());
    if (bytes.byteLength > limit) throw new BodyTooLarge(limit);
    return decode(bytes, req.headers.get("content-encoding"), limit);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.byteLength;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk);
  }
  return decode(Buffer.concat(chunks), req.headers.get("content-encoding"), limit);
}

/**
 * Codex with a ChatGPT login sends zstd request bodies. Decoding here lets the filter see text and the upstream get a
 * plain body (the encoding header is not forwarded).
 */
function decode(bytes: Uint8Array, encoding: string | null, limit: number): Uint8Array {
  const name = encoding?.trim().toLowerCase();
  if (!name || name === "identity" || bytes.byteLength === 0) return bytes;
  let out: Uint8Array;
  try {
    if (name === "zstd") out = Bun.zstdDecompressSync(bytes);
    else if (name === "gzip" || name === "x-gzip") out = gunzipSync(bytes);
    else throw new BadBodyEncoding(`unsupported request content-encoding "${name}"`);
  } catch (error) {
    if (error instanceof BadBodyEncoding) throw error;
    throw new BadBodyEncoding(`request body is not valid ${name}`);
  }
  if (out.byteLength > limit) throw new BodyTooLarge(limit);
  return out;
}
