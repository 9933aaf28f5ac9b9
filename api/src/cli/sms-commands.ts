/** `imlu sms …`: SMS confirmation through Africa's Talking. */
import type { Command } from 'commander';
import { UsageError } from './runtime.ts';
import type { CliContext } from './context.ts';

export function addSmsCommands(program: Command, { io, withRuntime }: CliContext): void {
  const sms = program.command('sms').description("SMS confirmation through Africa's Talking");
  sms
    .command('callback-url')
    .description("print the delivery-report callback URL to paste into the Africa's Talking dashboard (it contains a secret)")
    .action(() =>
      withRuntime(async ({ config, blindIndexKey }) => {
        // The server's own address (its default for links) is never one Africa's Talking can reach.
        if (!config.publicBaseUrl) {
          throw new UsageError("PUBLIC_BASE_URL is not set: set it to the address Africa's Talking reaches this API at (e.g. https://sign.imlu.org)");
        }
        const { deliveryReportUrl } = await import('../messages/sms-reports.ts');
        io.stderr.write("Paste this into the Africa's Talking dashboard (SMS → SMS Callback URLs → Delivery Reports). It contains a secret: keep it out of tickets and chats.\n");
        io.stdout.write(`${deliveryReportUrl(config.publicBaseUrl, blindIndexKey)}\n`);
      }),
    );
}
