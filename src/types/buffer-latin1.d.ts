// Node's Buffer has had latin1Slice/latin1Write since v0.x (toString('latin1')
// calls them), but @types/node leaves them out. reddish calls them directly on
// the hot path to skip toString's encoding lookup.
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(text: string, offset?: number, length?: number): number;
  }
}
export {};
