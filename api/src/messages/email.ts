/**
 * E-mail delivery over SMTP with nodemailer, behind a one-method interface so the outbox handler does not
 * care how mail leaves. Errors become `DeliveryError`s with a code: an SMTP 5xx reply to this message
 * (say, "no such user") is permanent; a refused connection, a timeout or a 4xx reply is worth a retry.
 */
import nodemailer from 'nodemailer';
import { DeliveryError } from '../outbox/worker.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Content-Language of the message. */
  language: string;
  /** Further headers (updates to supporters: `List-Unsubscribe`, `List-Unsubscribe-Post`). */
  headers?: Record<string, string>;
}

export interface MailTransport {
  send(mail: Mail): Promise<void>;
  close?(): void;
}

export interface SmtpOptions {
  /** `smtp://[user:pass@]host[:port]` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  url: string;
  /** The From header, e.g. `IMLU Campaigns <no-reply@imlu.org>`. */
  from: string;
  /** Seconds to wait for a connection, the greeting and each reply. Default 10/10/30. */
  timeouts?: { connection?: number; greeting?: number; socket?: number };
}

export function smtpTransport(options: SmtpOptions): MailTransport {
  const transporter = nodemailer.createTransport({
    url: options.url,
    connectionTimeout: (options.timeouts?.connection ?? 10) * 1000,
    greetingTimeout: (options.timeouts?.greeting ?? 10) * 1000,
    socketTimeout: (options.timeouts?.socket ?? 30) * 1000,
    // nodemailer would otherwise log with addresses in debug mode; our own log carries codes only.
    logger: false,
    debug: false,
  }, { from: options.from });
  return {
    async send(mail) {
      try {
        await transporter.sendMail({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { ...mail.headers, 'Content-Language': mail.language, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        throw smtpDeliveryError(error);
      }
    },
    close() {
      transporter.close();
    },
  };
}

/** Classifies a nodemailer failure. Only the numeric reply code or error code is kept, never its text. */
export function smtpDeliveryError(error: unknown): DeliveryError {
  const { responseCode, code } = (error ?? {}) as { responseCode?: number; code?: string };
  if (typeof responseCode === 'number') {
    return new DeliveryError(`smtp-${responseCode}`, responseCode >= 500 && responseCode < 600, { cause: error });
  }
  return new DeliveryError(typeof code === 'string' ? code : 'smtp-error', false, { cause: error });
}

/**
 * Development only: prints each message to the console instead of sending it, so the demo can be
 * confirmed by hand without an SMTP server. Never used in production (env.ts decides).
 */
export function consoleTransport(print: (text: string) => void = (text) => console.info(text)): MailTransport {
  return {
    send(mail) {
      print(`\n--- e-mail (development: printed, not sent) ---\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n---\n`);
      return Promise.resolve();
    },
  };
}
