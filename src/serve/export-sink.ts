/** Buffered, back-pressured text output for exports: millions of lines without holding them in memory. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

const FLUSH_BYTES = 64 * 1024;

export class TextSink {
  private parts: string[] = [];
  private size = 0;
  /** Characters handed to the stream so far. */
  written = 0;

  constructor(private readonly stream: Writable) {}

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.written += chunk.length;
    if (!this.stream.write(chunk, 'utf8')) await once(this.stream, 'drain');
  }
}

/** Rows read in keyset-paged batches, so no statement stays open across an await. */
export const EXPORT_PAGE = 2000;
