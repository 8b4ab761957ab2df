import { devMailbox, type Db } from '@impera/db'
import nodemailer from 'nodemailer'

interface Mail {
  to: string
  subject: string
  text: string
  html?: string
}

export interface Mailer {
  kind: 'smtp' | 'dev-mailbox'
  send(mail: Mail): Promise<void>
}

/** SMTP when configured; otherwise the development mailbox table shown at /dev/mailbox. */
export function createMailer(opts: { smtpUrl?: string; from: string; db: Db }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl)
    return {
      kind: 'smtp',
      async send(mail) {
        await transport.sendMail({ from: opts.from, ...mail })
      },
    }
  }
  return {
    kind: 'dev-mailbox',
    async send(mail) {
      await opts.db
        .insert(devMailbox)
        .values({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null })
    },
  }
}
