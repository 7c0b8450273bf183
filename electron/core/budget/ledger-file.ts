// budget.json as read back: checked field by field, so a hand-edited or truncated file is refused as a whole (and
// moved aside by the caller) rather than half-trusted.
import { z } from 'zod'
import { CAP_PERIODS, CAP_UNITS } from '../../shared/budget'
import { PROVIDER_IDS } from '../../shared/providers'
import type { LedgerData } from './ledger'

const cap = z.object({ amount: z.number().positive().finite(), unit: z.enum(CAP_UNITS) })
const provider = z.enum(PROVIDER_IDS)

const schema = z.object({
  version: z.literal(1),
  caps: z.partialRecord(provider, z.partialRecord(z.enum(CAP_PERIODS), cap)),
  entries: z.record(
    z.string(),
    z.object({
      provider,
      at: z.number(),
      amount: z.number().nonnegative(),
      unit: z.enum(['credits', 'tokens', 'seconds']),
      usd: z.number().nullable(),
      status: z.enum(['held', 'spent']),
      source: z.enum(['service', 'estimate']),
    }),
  ),
})

export function parseLedger(value: unknown): LedgerData {
  return schema.parse(value)
}
