// Socket Mode: Bolt's SocketModeReceiver, with two things it lacks. Its Socket Mode client gets
// SLACK_API_URL too (without it apps.connections.open always went to slack.com, so no test could
// reach it), and every envelope passes the same checks as an HTTP request before Bolt sees it: a
// malformed payload is acked and dropped, and an envelope, event or trigger already seen (Slack
// redelivers what it thinks went unacked) is acked without running anything again.
import { SocketModeReceiver, type App, type LogLevel, type Logger, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { classify, warmUp } from './payload.js';
import type { SeenIds } from './dedupe.js';

export interface SocketFrontDoorOptions {
  appToken: string;
  apiUrl?: string;
  seen: SeenIds;
  logger: Logger;
  logLevel: LogLevel;
}

export class SocketFrontDoorReceiver implements Receiver {
  readonly inner: SocketModeReceiver;

  constructor(private opts: SocketFrontDoorOptions) {
    this.inner = new SocketModeReceiver({
      appToken: opts.appToken,
      logLevel: opts.logLevel,
      installerOptions: { clientOptions: opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {} },
      // The envelope's ID reaches processEvent (below) this way: ReceiverEvent has no field for it.
      customPropertiesExtractor: (args: { envelope_id?: string }) => ({ envelopeId: args.envelope_id }),
    });
  }

  init(app: App): void {
    const gate = { processEvent: (event: ReceiverEvent) => this.admit(app, event) };
    this.inner.init(gate as unknown as App);
  }

  start(): Promise<unknown> {
    warmUp();
    return this.inner.start();
  }

  stop(): Promise<unknown> {
    return this.inner.stop();
  }

  private async admit(app: App, event: ReceiverEvent): Promise<void> {
    const verdict = classify(event.body);
    if (verdict.kind !== 'run') {
      if (verdict.kind === 'bad') this.opts.logger.warn(`slack: dropped a malformed envelope: ${verdict.why}`);
      return event.ack();
    }
    const envelope = event.customProperties?.envelopeId;
    const ids = typeof envelope === 'string' ? [...verdict.ids, `envelope:${envelope}`] : verdict.ids;
    if (this.opts.seen.checkAndRecord(ids)) {
      this.opts.logger.info(`slack: ${ids.join(', ')} already handled (redelivery, retry ${event.retryNum ?? '-'}): acked, not run again`);
      return event.ack();
    }
    await app.processEvent({ ...event, customProperties: {} });
  }
}
