/**
 * Tests of the raw RESP client the differential and protocol tests rely on:
 * framing of every RESP2/RESP3 type (whole and split at every byte), the
 * decoders, and the socket behaviour against a scripted fake server.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RawClient,
  ReplyFramer,
  encodeCommand,
  escapeBytes,
  frameLength,
  parseReply,
  replyToJs,
  splitAggregate,
  splitReplies,
} from '../helpers/resp-client.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

/** One example of every reply type the framer must handle. */
const SAMPLE_REPLIES: readonly string[] = [
  '+OK\r\n',
  '-ERR unknown command\r\n',
  ':-42\r\n',
  '$5\r\nhe\r\no\r\n',
  '$0\r\n\r\n',
  '$-1\r\n',
  '*-1\r\n',
  '*0\r\n',
  '*3\r\n:1\r\n$1\r\n\x00\r\n*2\r\n+a\r\n_\r\n',
  '_\r\n',
  ',3.14\r\n',
  ',-inf\r\n',
  '#t\r\n',
  '(3492890328409238509324850943850943825024385\r\n',
  '!21\r\nSYNTAX invalid syntax\r\n',
  '=15\r\ntxt:Some string\r\n',
  '%2\r\n$1\r\na\r\n:1\r\n+b\r\n%1\r\n_\r\n#f\r\n',
  '~2\r\n$1\r\nx\r\n$1\r\ny\r\n',
  '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n',
  '|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2\r\n:3\r\n',
  '*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\nv\r\n:7\r\n',
  '$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;0\r\n',
  '*?\r\n:1\r\n$?\r\n;1\r\nx\r\n;0\r\n.\r\n',
  '%?\r\n+a\r\n:1\r\n.\r\n',
];

describe('RESP framing', () => {
  it('frames each reply type as one complete frame', () => {
    for (const reply of SAMPLE_REPLIES) {
      const bytes = b(reply);
      expect(frameLength(bytes), escapeBytes(reply)).toBe(bytes.length);
      expect(frameLength(bytes.subarray(0, bytes.length - 1)), escapeBytes(reply)).toBe(-1);
    }
  });

  it('finds the same boundaries when the stream arrives one byte at a time', () => {
    const stream = b(SAMPLE_REPLIES.join(''));
    const framer = new ReplyFramer();
    const frames: string[] = [];
    let frameStart = 0;
    for (let end = 1; end <= stream.length; end++) {
      // Like RawClient: the view grows until a frame completes, then restarts after it.
      let length = framer.next(stream.subarray(frameStart, end));
      while (length !== -1) {
        frames.push(stream.toString('latin1', frameStart, frameStart + length));
        frameStart += length;
        length = frameStart < end ? framer.next(stream.subarray(frameStart, end)) : -1;
      }
    }
    expect(frames).toEqual(SAMPLE_REPLIES);
    expect(splitReplies(stream).map((frame) => frame.toString('latin1'))).toEqual(SAMPLE_REPLIES);
  });

  it('rejects bytes that are not RESP', () => {
    expect(() => frameLength(b('hello\r\n'))).toThrow(/unknown reply type/);
    expect(() => frameLength(b('$3\r\nabcd\r\n'))).toThrow(/not followed by CRLF/);
    expect(() => frameLength(b('*x\r\n'))).toThrow(/invalid length/);
    expect(() => frameLength(b('%-1\r\n'))).toThrow(/invalid count/);
  });

  it('splits an aggregate into raw children, skipping attributes', () => {
    const split = splitAggregate(b('|1\r\n+a\r\n+b\r\n~3\r\n$1\r\nx\r\n*1\r\n:1\r\n_\r\n'));
    expect(split?.type).toBe('~');
    expect(split?.header.toString('latin1')).toBe('~3\r\n');
    expect(split?.children.map((child) => child.toString('latin1'))).toEqual(['$1\r\nx\r\n', '*1\r\n:1\r\n', '_\r\n']);
    expect(splitAggregate(b('%1\r\n+k\r\n+v\r\n'))?.children).toHaveLength(2);
    expect(splitAggregate(b('$1\r\nx\r\n'))).toBeNull();
    expect(splitAggregate(b('*-1\r\n'))).toBeNull();
  });
});

describe('RESP decoding', () => {
  it('keeps the RESP type of every value', () => {
    expect(parseReply(b('$-1\r\n'))).toEqual({ type: 'null', encoding: '$-1' });
    expect(parseReply(b(':9223372036854775807\r\n'))).toEqual({ type: 'integer', value: 9223372036854775807n });
    expect(parseReply(b(',inf\r\n'))).toMatchObject({ type: 'double', value: Infinity, text: 'inf' });
    expect(parseReply(b('=15\r\ntxt:Some string\r\n'))).toEqual({ type: 'verbatim', format: 'txt', value: b('Some string') });
    expect(parseReply(b('!5\r\nOOPS!\r\n'))).toEqual({ type: 'error', value: 'OOPS!', blob: true });
    expect(parseReply(b('|1\r\n+ttl\r\n:1\r\n+v\r\n'))).toEqual({
      type: 'simple',
      value: 'v',
      attributes: [[{ type: 'simple', value: 'ttl' }, { type: 'integer', value: 1n }]],
    });
    expect(() => parseReply(b('+OK\r\n+OK\r\n'))).toThrow(/trailing bytes/);
  });

  it('converts to plain JS values, binary-safely', () => {
    expect(replyToJs(b('*4\r\n$3\r\n\x00\xff\r\r\n:5\r\n_\r\n-ERR bad\r\n'))).toEqual(['\x00\xff\r', 5, null, { error: 'ERR bad' }]);
    expect(replyToJs(b('%1\r\n+a\r\n~1\r\n#f\r\n'))).toEqual(new Map([['a', [false]]]));
    expect(replyToJs(b('$?\r\n;2\r\nab\r\n;1\r\nc\r\n;0\r\n'))).toBe('abc');
    expect(replyToJs(b('*?\r\n:1\r\n:2\r\n.\r\n'))).toEqual([1, 2]);
  });

  it('encodes commands as binary-safe multibulk', () => {
    expect(encodeCommand(['SET', 'k\x00', Buffer.from([0xff]), 12]).toString('latin1')).toBe(
      '*4\r\n$3\r\nSET\r\n$2\r\nk\x00\r\n$1\r\n\xff\r\n$2\r\n12\r\n',
    );
    expect(escapeBytes('a"\\\r\n\x00\xff')).toBe('"a\\"\\\\\\r\\n\\x00\\xff"');
  });
});

describe('RawClient', () => {
  let fake: { server: net.Server; port: number; sockets: net.Socket[]; received: Buffer[] } | null = null;

  /** A TCP server that records what it receives and replies with `respond(bytes)`. */
  async function startFakeServer(respond: (socket: net.Socket, data: Buffer) => void): Promise<NonNullable<typeof fake>> {
    const sockets: net.Socket[] = [];
    const received: Buffer[] = [];
    const server = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (data) => {
        received.push(data);
        respond(socket, data);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    fake = { server, port: address.port, sockets, received };
    return fake;
  }

  afterEach(async () => {
    if (!fake) return;
    for (const socket of fake.sockets) socket.destroy();
    await new Promise((resolve) => fake!.server.close(resolve));
    fake = null;
  });

  it('returns replies that arrive in small pieces, in order, as exact bytes', async () => {
    const reply = b('*2\r\n$3\r\nfoo\r\n%1\r\n+a\r\n_\r\n');
    const server = await startFakeServer((socket, data) => {
      // One reply per command received, dribbled out three bytes at a time.
      const commands = data.toString('latin1').split('*1\r\n').length - 1;
      const bytes = Buffer.concat(Array.from({ length: commands }, () => reply));
      let offset = 0;
      const timer = setInterval(() => {
        socket.write(bytes.subarray(offset, offset + 3));
        offset += 3;
        if (offset >= bytes.length) clearInterval(timer);
      }, 1);
    });
    const client = await RawClient.connect(server.port);
    expect(await client.call('PING')).toEqual(reply);
    const replies = await client.pipeline([['PING'], ['PING'], ['PING']]);
    expect(replies).toEqual([reply, reply, reply]);
    await client.close();
  });

  it('sends raw bytes and reads whatever comes back until the peer closes', async () => {
    const server = await startFakeServer((socket) => {
      socket.end('-ERR Protocol error: invalid multibulk length\r\n');
    });
    const client = await RawClient.connect(server.port);
    client.sendRaw('*abc\r\n');
    const started = Date.now();
    const bytes = await client.readRaw(2000);
    expect(bytes.toString('latin1')).toBe('-ERR Protocol error: invalid multibulk length\r\n');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(client.closed).toBe(true);
    await expect(client.call('PING')).rejects.toThrow(/closed/);
  });

  it('fails a framed read with the unread bytes when the stream is not RESP', async () => {
    const server = await startFakeServer((socket) => {
      socket.write('garbage\r\n');
    });
    const client = await RawClient.connect(server.port);
    await expect(client.call('PING')).rejects.toThrow(/unknown reply type.*garbage/);
    // The bytes are still there for a raw read, which clears the error.
    expect((await client.readRaw(50)).toString('latin1')).toBe('garbage\r\n');
    await client.close();
  });

  it('times out a reply that never completes, showing what did arrive', async () => {
    const server = await startFakeServer((socket) => {
      socket.write('$10\r\nabc');
    });
    const client = await RawClient.connect(server.port, { replyTimeoutMs: 100 });
    await expect(client.call('GET', 'k')).rejects.toThrow(/no complete reply within 100ms.*\$10\\r\\nabc/);
    expect(server.received.map((chunk) => chunk.toString('latin1')).join('')).toBe('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
    await client.close();
  });

  it('reports a close while a reply is pending', async () => {
    const server = await startFakeServer((socket) => {
      socket.end('+partial');
    });
    const client = await RawClient.connect(server.port);
    await expect(client.call('PING')).rejects.toThrow(/connection closed while waiting for a reply.*\+partial/);
  });
});
