import { Logger } from '@nestjs/common';
import type { SmsConfig } from '@mustafid/platform';
import * as smpp from 'smpp';

/** SMPP command_status values after which the same message may be tried again later. */
const TRANSIENT_STATUSES = new Set([
  smpp.errors.ESME_RTHROTTLED, // 0x58: sent too fast
  smpp.errors.ESME_RMSGQFUL, // 0x14: the SMSC's queue is full
  smpp.errors.ESME_RSYSERR, // 0x08: the SMSC's own error
  smpp.errors.ESME_RX_T_APPN, // 0x64: "temporary application error"
]);

const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

/** An SMPP error code as its name and number, e.g. ESME_RINVDSTADR (0x0000000B). */
export function statusName(status: number): string {
  return `${STATUS_NAMES.get(status) ?? 'unknown error'} (0x${status.toString(16).padStart(8, '0').toUpperCase()})`;
}

/** The SMSC refused a message; `transient` says whether trying later may help. */
export class SmscRefused extends Error {
  constructor(
    readonly status: number,
    readonly transient: boolean,
  ) {
    super(`The SMSC refused the message: ${statusName(status)}`);
  }
}

/** The session went away before the SMSC answered (whether it took the message is unknown). */
export class LinkLost extends Error {}

export interface Receipt {
  messageId: string;
  /** DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD, UNKNOWN, REJECTD, ENROUTE, SKIPPED */
  state: string;
  error?: string;
}

const MESSAGE_STATES = ['SCHEDULED', 'ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'SKIPPED'];
const RESPONSE_TIMEOUT_MS = 30_000;
const RECONNECT_MAX_MS = 60_000;

/** A delivery receipt's facts from a deliver_sm: its TLVs when the SMSC sends them, else the text "id:… stat:… err:…". */
export function receiptOf(pdu: smpp.PDU): Receipt | undefined {
  // esm_class bits 2–5 give the message type; 0x04 is an SMSC delivery receipt (SMPP 3.4 §5.2.12).
  if (((pdu.esm_class as number) & 0x3c) !== 0x04) return undefined;
  const message = pdu.short_message as { message?: unknown } | Buffer | undefined;
  const raw = message && !Buffer.isBuffer(message) ? message.message : message;
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : typeof raw === 'string' ? raw : '';
  const messageId = typeof pdu.receipted_message_id === 'string' && pdu.receipted_message_id ? pdu.receipted_message_id : /\bid:(\S+)/i.exec(text)?.[1];
  const state = typeof pdu.message_state === 'number' ? MESSAGE_STATES[pdu.message_state] : /\bstat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!messageId || !state) return undefined;
  const error = /\berr:(\w+)/i.exec(text)?.[1];
  return { messageId, state, ...(error ? { error } : {}) };
}

/**
 * One bound transceiver session to the SMSC: connects and binds, keeps the link alive with
 * enquire_link, reconnects with a growing pause (1 s, 2 s, 4 s … one minute) when it drops or the
 * bind is refused, answers the SMSC's own requests (enquire_link, deliver_sm, unbind), and unbinds
 * cleanly on close. The password is never logged.
 */
export class SmppLink {
  private session?: smpp.Session;
  private isBound = false;
  private closing = false;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private keepalive?: NodeJS.Timeout;
  private awaitingEnquire = false;
  private readonly pending = new Set<(e: Error) => void>();

  constructor(
    private readonly config: SmsConfig,
    private readonly onReceipt: (receipt: Receipt) => Promise<void>,
    private readonly logger = new Logger('SmppLink'),
  ) {}

  get bound(): boolean {
    return this.isBound;
  }

  start(): void {
    this.closing = false;
    this.connect();
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    if (this.closing) return;
    const session = smpp.connect({ host: this.config.host, port: this.config.port, tls: this.config.tls });
    this.session = session;
    session.on(this.config.tls ? 'secureConnect' : 'connect', () => this.bind(session));
    session.on('error', (e: Error) => this.logger.warn(`SMPP connection to ${this.config.host}:${this.config.port}: ${e.message}`));
    session.on('close', () => this.closed(session));
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      this.isBound = false;
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: smpp.PDU) => void this.delivered(session, pdu));
    session.on('unknown', (pdu: smpp.PDU) => session.send(pdu.response()));
  }

  private bind(session: smpp.Session): void {
    session.bind_transceiver(
      { system_id: this.config.systemId, password: this.config.password, system_type: this.config.systemType, interface_version: 0x34 },
      (pdu) => {
        if (pdu.command_status !== 0) {
          this.logger.error(`The SMSC refused to bind as ${this.config.systemId}: ${statusName(pdu.command_status)}; SMS notices wait until it accepts`);
          session.destroy();
          return;
        }
        this.isBound = true;
        this.failures = 0;
        this.logger.log(`Bound to the SMSC at ${this.config.host}:${this.config.port} as ${this.config.systemId}`);
        this.keepalive = setInterval(() => this.enquire(session), this.config.enquireLinkSeconds * 1000).unref();
      },
    );
  }

  /** enquire_link on the idle link; no answer by the next one and the link is dropped (and remade). */
  private enquire(session: smpp.Session): void {
    if (this.awaitingEnquire) {
      this.logger.warn('The SMSC did not answer enquire_link; reconnecting');
      session.destroy();
      return;
    }
    this.awaitingEnquire = true;
    session.enquire_link({}, () => {
      this.awaitingEnquire = false;
    });
  }

  private async delivered(session: smpp.Session, pdu: smpp.PDU): Promise<void> {
    const receipt = receiptOf(pdu);
    if (!receipt) {
      session.send(pdu.response()); // a message from a phone: nothing listens for those
      return;
    }
    try {
      await this.onReceipt(receipt);
      session.send(pdu.response());
    } catch (e) {
      // Not recorded: the SMSC sends the receipt again later.
      this.logger.warn(`Delivery receipt for ${receipt.messageId} not recorded: ${e instanceof Error ? e.message : e}`);
      session.send(pdu.response({ command_status: smpp.errors.ESME_RX_T_APPN }));
    }
  }

  private closed(session: smpp.Session): void {
    if (this.session !== session) return;
    this.isBound = false;
    this.awaitingEnquire = false;
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = undefined;
    for (const reject of this.pending) reject(new LinkLost('The SMPP connection closed before the SMSC answered'));
    this.pending.clear();
    this.session = undefined;
    if (this.closing) return;
    const wait = Math.min(1000 * 2 ** this.failures, RECONNECT_MAX_MS);
    this.failures++;
    this.reconnectTimer = setTimeout(() => this.connect(), wait).unref();
  }

  /** Submits one short message; resolves with the SMSC's message id, or rejects with SmscRefused or LinkLost. */
  submit(params: Record<string, unknown>): Promise<string> {
    const session = this.session;
    if (!session || !this.isBound) return Promise.reject(new LinkLost('Not bound to the SMSC'));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(fail);
        reject(new LinkLost(`The SMSC did not answer submit_sm within ${RESPONSE_TIMEOUT_MS / 1000} s`));
        session.destroy(); // an answer that comes late must not be taken for another message's
      }, RESPONSE_TIMEOUT_MS);
      const fail = (e: Error) => {
        clearTimeout(timer);
        this.pending.delete(fail);
        reject(e);
      };
      this.pending.add(fail);
      const sent = session.submit_sm(params, (pdu) => {
        clearTimeout(timer);
        this.pending.delete(fail);
        if (pdu.command_status === 0) resolve(String(pdu.message_id ?? ''));
        else reject(new SmscRefused(pdu.command_status, TRANSIENT_STATUSES.has(pdu.command_status)));
      });
      if (!sent) fail(new LinkLost('The SMPP connection is not writable'));
    });
  }

  /** Unbinds (waiting at most two seconds for the SMSC's answer) and closes; no reconnect after. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const session = this.session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => session.destroy(resolve), 2000);
      session.once('close', () => {
        clearTimeout(done);
        resolve();
      });
      if (!this.isBound || !session.unbind({}, () => session.close())) session.destroy();
    });
  }
}
