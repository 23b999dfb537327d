/**
 * Keyspace notifications as a subscriber receives them, batch by batch, on
 * reddish or on a real redis-server alike.
 *
 * A subscriber connection PSUBSCRIBEs to the notification channels and
 * SUBSCRIBEs to a marker channel. `take()` PUBLISHes a fresh marker from a
 * second connection and reads until it arrives: a server delivers messages
 * to one subscriber in the order it published them, so every notification
 * caused by a command answered before `take()` has arrived by then.
 */
import { RawClient, escapeBytes, splitAggregate } from './resp-client.js';

const MARKER_CHANNEL = '__notification_stream_marker__';

/** One notification: the channel and the message, as the server sent them (latin1). */
export interface Notification {
  channel: string;
  message: string;
}

export interface NotificationStream {
  /** The notifications published since the last take, in the order they arrived. */
  take(): Promise<Notification[]>;
  close(): Promise<void>;
}

/** A bulk string frame's payload. */
function bulkText(frame: Buffer): string {
  const text = frame.toString('latin1');
  const match = /^\$(\d+)\r\n/.exec(text);
  if (!match) throw new Error(`expected a bulk string, got ${escapeBytes(frame, 200)}`);
  return text.slice(match[0].length, match[0].length + Number(match[1]));
}

/**
 * Subscribes to `pattern` (every keyspace and keyevent channel by default)
 * on the server at `port`. The caller sets notify-keyspace-events.
 */
export async function openNotificationStream(port: number, pattern = '__key*__:*'): Promise<NotificationStream> {
  const subscriber = await RawClient.connect(port, { replyTimeoutMs: 5000 });
  const control = await RawClient.connect(port);
  await subscriber.call('PSUBSCRIBE', pattern);
  await subscriber.call('SUBSCRIBE', MARKER_CHANNEL);
  let sequence = 0;
  return {
    async take() {
      const mark = String(++sequence);
      await control.call('PUBLISH', MARKER_CHANNEL, mark);
      const out: Notification[] = [];
      for (;;) {
        const frame = await subscriber.readReply();
        const parts = splitAggregate(frame)?.children.map(bulkText);
        if (parts?.[0] === 'message' && parts[1] === MARKER_CHANNEL && parts[2] === mark) return out;
        if (parts?.[0] !== 'pmessage' || parts.length !== 4) throw new Error(`unexpected frame ${escapeBytes(frame, 300)}`);
        out.push({ channel: parts[2]!, message: parts[3]! });
      }
    },
    async close() {
      await subscriber.close();
      await control.close();
    },
  };
}

/** `channel message`, with unprintable bytes escaped: how tests compare and show notifications. */
export function describeNotification({ channel, message }: Notification): string {
  return `${escapeBytes(channel)} ${escapeBytes(message)}`;
}
