// How the budget reads in the app: amounts in a cap's unit, and when a cap resets in the user's local time.
import { formatCapAmount } from '../../../../electron/shared/budget'
import { providerInfo } from '../../../../electron/shared/providers'

export { formatCapAmount }

export const providerLabel = (id: Parameters<typeof providerInfo>[0]) => providerInfo(id).label

/** "00:00 tomorrow", "00:00 on Fri 1 Jan": when a cap starts again, in the zone the engine counts days in. */
export function resetText(resetsAt: number, timeZone: string, now = Date.now()): string {
  const zone = { timeZone }
  const time = new Intl.DateTimeFormat(undefined, {
    ...zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(resetsAt)
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', zone).format(ms)
  if (day(resetsAt) === day(now + 86_400_000) || resetsAt - now < 86_400_000) return `${time} tomorrow`
  const date = new Intl.DateTimeFormat(undefined, { ...zone, weekday: 'short', day: 'numeric', month: 'short' }).format(
    resetsAt,
  )
  return `${time} on ${date}`
}
