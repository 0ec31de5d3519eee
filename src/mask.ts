// Secret masking: a secret leaves the process only as its last 4 characters (`sk-…1234`).

/** `sk-proj-abcdef1234` → `sk-…1234`; short or empty secrets become `…` or `(none)`. */
export function maskSecret(secret: string | null | undefined): string {
  if (secret === undefined || secret === null || secret === "") return "(none)";
  if (secret.length <= 8) return "…";
  const prefix = /^(sk-|sk_|pk-)/.exec(secret)?.[0] ?? "";
  return `${prefix}…${secret.slice(-4)}`;
}
