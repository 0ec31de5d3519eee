// The shape of a usage-provider kind: how to ask a quota API and how to read its answer (one file per kind).
import type { Provider } from "../provider-schema";

export interface UsageReading {
  exhausted: boolean;
  /** The provider's own figures, for status and the dashboard (never a token). */
  figures: Record<string, number>;
}

export interface UsageKind {
  id: string;
  request(provider: Provider, token: string): { url: string; headers: Record<string, string> };
  /** A reading, or a one-line reason the answer could not be read. */
  parse(body: unknown): UsageReading | string;
}
