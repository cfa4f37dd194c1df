import { startCarrierStandIn, type ReceiptMode } from '../../server/carrier/stand-in';
import { int, required, str, untilSignal } from '../args';
import { createStderrLogger } from '../log';
import type { Args } from '../main';
import { UsageError } from '../usage';

const RECEIPTS: readonly ReceiptMode[] = ['delivered', 'failed', 'none'];

/** Stands in for the SMS carrier and its gateway (demo, tests): see server/carrier/stand-in.ts. */
export async function runCarrier(args: Args): Promise<number> {
  const logger = createStderrLogger('carrier');
  const secret = process.env.MINWON_SMS_SECRET;
  if (!secret || secret.length < 16) throw new UsageError('MINWON_SMS_SECRET (16+ characters, the city server\'s) is needed');
  const receipt = str(args, 'receipt') ?? 'delivered';
  if (!RECEIPTS.includes(receipt as ReceiptMode)) throw new UsageError(`--receipt is one of ${RECEIPTS.join(', ')}`);
  const standIn = await startCarrierStandIn({
    city: required(args, 'city'),
    secret,
    port: int(args, 'port', 8490, 0, 65_535),
    receipt: receipt as ReceiptMode,
    receiptDelayMs: int(args, 'receipt-delay', 200, 0, 600_000),
    log: (line) => logger.info(line),
  });
  // Tests and scripts read this line to learn the port.
  process.stdout.write(`minwon carrier listening on ${standIn.url}\n`);
  const signal = await untilSignal();
  logger.info(`${signal}: stopping`);
  await standIn.close();
  return 0;
}
