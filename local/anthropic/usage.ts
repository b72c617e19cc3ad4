import { createHash } from 'node:crypto';
import type { CacheControl, ContentBlockParam, MessagesRequest } from './validate';

/**
 * Token accounting and prompt caching as the Messages API reports them in `usage`.
 * Tokens are estimated as characters / 4. The cache follows the API's rules: the prefix is
 * tools → system → messages up to a `cache_control` breakpoint (at most four, plus the
 * top-level automatic one on the last block); a prefix shorter than the model's minimum is
 * silently not cached; entries live 5 minutes (or 1 hour) from their last use; a read returns
 * the longest cached prefix, and the tokens between it and the last breakpoint are written.
 */

export const estimateTokens = (chars: number) => Math.ceil(chars / 4);

/** What the API adds to the prompt when tools are present (its tool-use system prompt). */
export function toolPreambleTokens(req: MessagesRequest): number {
  if (!req.tools || req.tools.length === 0) return 0;
  const type = req.tool_choice?.type ?? 'auto';
  return type === 'any' || type === 'tool' ? 313 : 346;
}

/** Minimum cacheable prefix per model (documented floors; below them nothing is cached). */
export function minCacheableTokens(model: string): number {
  if (/^claude-(haiku-4-5|opus-4-5|opus-4-6)/.test(model)) return 4096;
  if (/^claude-opus-4-7/.test(model)) return 2048;
  if (/^claude-(opus|fable|mythos)-5/.test(model)) return 512;
  return 1024;
}

interface Segment {
  tokens: number;
  /** Canonical JSON of the block without its cache_control, so moving a breakpoint keeps the content hash. */
  key: string;
  breakpoint?: CacheControl;
  level: 'tools' | 'system' | 'messages';
}

function withoutCacheControl(block: object): string {
  const { cache_control: _cc, ...rest } = block as { cache_control?: unknown };
  return JSON.stringify(rest);
}

function blockText(block: ContentBlockParam): string {
  if (block.type === 'text') return String(block.text ?? '');
  if (block.type === 'tool_use') return `${String(block.name)} ${JSON.stringify(block.input ?? {})}`;
  if (block.type === 'tool_result') return typeof block.content === 'string' ? block.content : JSON.stringify(block.content ?? '');
  return JSON.stringify(block);
}

export function segmentsOf(req: MessagesRequest): Segment[] {
  const out: Segment[] = [];
  for (const tool of req.tools ?? []) {
    const text = `${tool.name} ${tool.description ?? ''} ${JSON.stringify(tool.input_schema ?? {})}`;
    out.push({ tokens: estimateTokens(text.length), key: withoutCacheControl(tool), breakpoint: tool.cache_control ?? undefined, level: 'tools' });
  }
  const system = typeof req.system === 'string' ? [{ type: 'text' as const, text: req.system }] : (req.system ?? []);
  for (const block of system) {
    out.push({ tokens: estimateTokens(block.text.length), key: withoutCacheControl(block), breakpoint: block.cache_control ?? undefined, level: 'system' });
  }
  for (const message of req.messages) {
    const blocks: ContentBlockParam[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    blocks.forEach((block, i) => {
      out.push({
        // Role framing costs a few tokens per message.
        tokens: estimateTokens(blockText(block).length) + (i === 0 ? 4 : 0),
        key: `${message.role}:${withoutCacheControl(block)}`,
        breakpoint: block.cache_control ?? undefined,
        level: 'messages',
      });
    });
  }
  if (req.cache_control && out.length > 0) {
    const last = out[out.length - 1]!;
    last.breakpoint ??= req.cache_control;
  }
  return out;
}

export interface Usage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

export class PromptCache {
  private readonly entries = new Map<string, { expiresAt: number; ttl: '5m' | '1h' }>();

  constructor(private readonly minTokens: (model: string) => number = minCacheableTokens) {}

  clear(): void {
    this.entries.clear();
  }

  /** Usage for `req`, reading and writing the cache as the API would. */
  account(req: MessagesRequest, now = Date.now()): Usage {
    const segments = segmentsOf(req);
    const total = segments.reduce((n, s) => n + s.tokens, 0) + toolPreambleTokens(req);
    const min = this.minTokens(req.model);

    // Prefix hashes: model first (caches are per model); tool_choice and thinking change only
    // the messages level, as the API documents.
    const hash = createHash('sha256').update(req.model);
    const breakpoints: Array<{ end: number; digest: string; ttl: '5m' | '1h' }> = [];
    let end = 0;
    let promptSettingsAdded = false;
    for (const s of segments) {
      if (s.level === 'messages' && !promptSettingsAdded) {
        hash.update(JSON.stringify([req.tool_choice ?? null, req.thinking ?? null]));
        promptSettingsAdded = true;
      }
      hash.update(s.key);
      end += s.tokens;
      if (s.breakpoint) breakpoints.push({ end, digest: hash.copy().digest('hex'), ttl: s.breakpoint.ttl ?? '5m' });
    }

    let readEnd = 0;
    for (const bp of breakpoints) {
      const entry = this.entries.get(bp.digest);
      if (entry && entry.expiresAt > now && bp.end > readEnd) readEnd = bp.end;
    }
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let written = readEnd;
    for (const bp of breakpoints) {
      if (bp.end < min) continue;
      const entry = this.entries.get(bp.digest);
      if (bp.end > written) {
        creation[bp.ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens'] += bp.end - written;
        written = bp.end;
      }
      // A hit refreshes the entry's lifetime at no cost; a write starts it.
      const ttl = entry && entry.ttl === '1h' ? '1h' : bp.ttl;
      this.entries.set(bp.digest, { expiresAt: now + TTL_MS[ttl], ttl });
    }
    const creationTokens = creation.ephemeral_5m_input_tokens + creation.ephemeral_1h_input_tokens;
    return {
      input_tokens: Math.max(1, total - readEnd - creationTokens),
      cache_creation_input_tokens: creationTokens,
      cache_read_input_tokens: readEnd,
      cache_creation: creation,
    };
  }
}
