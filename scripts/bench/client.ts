// Benchmark client, run as its own process: concurrent SSE streams (time to first event, full time, event counts)
// or sequential large request bodies. Reads one JSON job from argv[2], prints one JSON result on stdout.
//
// Why a Bun fetch client rather than wrk/oha: time to first *event* needs a client that looks inside the body, which
// load generators do not do for SSE. Its own cost is the same on every path (direct, codex-helper, nginx), so the
// differences between paths are the proxies' cost; it runs in a separate process so its CPU is not the proxy's.

export interface StreamJob {
  mode: "stream";
  url: string;
  concurrency: number;
  total: number;
  /** Streams run (and thrown away) first, to open connections and warm the JIT. */
  warmup: number;
  /** Events each stream should carry; a stream with fewer counts as lost events. */
  expectEvents: number;
  /** Check sequence numbers arrive complete and in order (costs client CPU; used for the 1,000-stream run). */
  verify?: boolean;
  /** Spread the slots' first starts over this many ms (steady load) instead of starting all at once (a burst). */
  staggerMs?: number;
}

export interface BodyJob {
  mode: "body";
  url: string;
  sizes: { bytes: number; samples: number }[];
  /** A literal the bench's filter rule rewrites: placed in every body so the filter does its full work. */
  needle: string;
}

export interface StreamResult {
  ttfeMs: number[];
  totalMs: number[];
  events: number;
  wallMs: number;
  errors: string[];
  lostEvents: number;
  reordered: number;
}

export interface BodyResult {
  bySize: { bytes: number; ms: number[] }[];
  errors: string[];
}

const REQUEST_BODY = JSON.stringify({ model: "bench-model", input: "hello", stream: true });
const OUTPUT_MARKER = "event: response.output_text.delta";

async function oneStream(job: StreamJob, result: StreamResult | undefined): Promise<void> {
  const t0 = performance.now();
  let ttfe: number | undefined;
  let events = 0;
  let prevNewline = false;
  const decoder = job.verify ? new TextDecoder() : undefined;
  let text = "";
  // Time to first *output*: the first text delta, what a user sees as the first token. (codex-helper holds lifecycle
  // events such as response.created until the first output, so it can still fail over invisibly before it.)
  const firstOutput = new TextDecoder();
  let seen = "";
  try {
    const res = await fetch(job.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: REQUEST_BODY,
    });
    if (!res.ok || !res.body) throw new Error(`status ${res.status}`);
    for await (const chunk of res.body) {
      // An event ends at a blank line: count "\n\n" pairs, also across chunk boundaries.
      let i = chunk.indexOf(10);
      if (i === 0 && prevNewline) {
        events++;
        i = chunk.indexOf(10, 1);
      }
      while (i !== -1) {
        if (chunk[i + 1] === 10) {
          events++;
          i = chunk.indexOf(10, i + 2);
        } else {
          i = chunk.indexOf(10, i + 1);
        }
      }
      prevNewline = chunk[chunk.length - 1] === 10 && chunk[chunk.length - 2] !== 10;
      if (ttfe === undefined) {
        // Only the tail of the previous chunk is kept: the marker may be split across chunks.
        seen = seen.slice(-32) + firstOutput.decode(chunk, { stream: true });
        if (seen.includes(OUTPUT_MARKER)) ttfe = performance.now() - t0;
      }
      if (decoder) text += decoder.decode(chunk, { stream: true });
    }
  } catch (error) {
    result?.errors.push(String((error as Error)?.message ?? error));
    return;
  }
  if (!result) return;
  result.ttfeMs.push(ttfe ?? Number.NaN);
  result.totalMs.push(performance.now() - t0);
  result.events += events;
  if (events < job.expectEvents) result.lostEvents += job.expectEvents - events;
  if (decoder) {
    let expected = 0;
    for (const match of text.matchAll(/"sequence_number":(\d+)/g)) {
      if (Number(match[1]) !== expected) result.reordered++;
      expected = Number(match[1]) + 1;
    }
  }
}

async function runStreams(job: StreamJob): Promise<StreamResult> {
  const warm = Math.min(job.warmup, job.concurrency);
  for (let round = 0; round < Math.ceil(job.warmup / Math.max(1, warm)); round++) {
    await Promise.all(Array.from({ length: warm }, () => oneStream(job, undefined)));
  }
  const result: StreamResult = {
    ttfeMs: [],
    totalMs: [],
    events: 0,
    wallMs: 0,
    errors: [],
    lostEvents: 0,
    reordered: 0,
  };
  let started = 0;
  const t0 = performance.now();
  const slot = async (index: number) => {
    if (job.staggerMs) await Bun.sleep((index * job.staggerMs) / job.concurrency);
    while (started < job.total) {
      started++;
      await oneStream(job, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency, job.total) }, (_, i) => slot(i)));
  result.wallMs = performance.now() - t0;
  return result;
}

/** A Responses-style request body of about `bytes`, with the filter's needle inside its text. */
function bodyOf(bytes: number, needle: string): string {
  const head = `{"model":"bench-model","stream":false,"input":[{"role":"user","content":[{"type":"input_text","text":"`;
  const tail = `"}]}]}`;
  const fill = Math.max(0, bytes - head.length - tail.length - needle.length * 2);
  const line = "The quick brown fox jumps over the lazy dog. ";
  const filler = line.repeat(Math.ceil(fill / line.length)).slice(0, fill);
  return `${head}${needle} ${filler.slice(0, fill - 1)}${needle}${tail}`;
}

async function runBodies(job: BodyJob): Promise<BodyResult> {
  const result: BodyResult = { bySize: [], errors: [] };
  for (const size of job.sizes) {
    const body = bodyOf(size.bytes, job.needle);
    const ms: number[] = [];
    // Two unmeasured requests open the connection and warm both ends.
    for (let i = -2; i < size.samples; i++) {
      const t0 = performance.now();
      try {
        const res = await fetch(job.url, { method: "POST", headers: { "content-type": "application/json" }, body });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`status ${res.status}`);
      } catch (error) {
        result.errors.push(String((error as Error)?.message ?? error));
        continue;
      }
      if (i >= 0) ms.push(performance.now() - t0);
    }
    result.bySize.push({ bytes: size.bytes, ms });
  }
  return result;
}

const job = JSON.parse(process.argv[2] ?? "{}") as StreamJob | BodyJob;
const out = job.mode === "stream" ? await runStreams(job) : await runBodies(job);
process.stdout.write(`${JSON.stringify(out)}\n`);
