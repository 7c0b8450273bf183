// Days and months in the user's local time zone (issue 11: a daily cap resets at local midnight), by the IANA zone
// passed in, so tests pick one. Period ends are found by searching for the instant the local date changes, which
// stays right across daylight-saving changes (a 23- or 25-hour day, or a zone whose clocks skip midnight itself).

export interface LocalCalendar {
  readonly timeZone: string
  /** The local date of an instant: 2026-12-02. */
  day(ms: number): string
  /** The local month of an instant: 2026-12. */
  month(ms: number): string
  /** The first instant of the next local day. */
  nextDay(ms: number): number
  /** The first instant of the next local month. */
  nextMonth(ms: number): number
  /** The first instant of the local day (and month) holding `ms`. */
  dayStart(ms: number): number
  monthStart(ms: number): number
}

const HOUR = 3_600_000

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

export function localCalendar(timeZone: string): LocalCalendar {
  // Throws RangeError for a zone Intl does not know: caught by the caller, which falls back to the system's.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
  const day = (ms: number): string => {
    const parts = format.formatToParts(new Date(ms))
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00'
    return `${get('year')}-${get('month')}-${get('day')}`
  }
  const month = (ms: number) => day(ms).slice(0, 7)
  /** The first instant in (from, to] whose key differs from from's; to must differ. */
  const firstChange = (key: (ms: number) => string, from: number, to: number): number => {
    const start = key(from)
    let lo = from
    let hi = to
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (key(mid) === start) lo = mid
      else hi = mid
    }
    return hi
  }
  /** The last instant in [to, from) whose key differs from from's, plus one: the start of from's period. */
  const lastChange = (key: (ms: number) => string, from: number, to: number): number => {
    const start = key(from)
    let lo = to
    let hi = from
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (key(mid) === start) hi = mid
      else lo = mid
    }
    return hi
  }
  /** The period [start, end) holding ms, remembered: asked on every status and check, it changes once a day. */
  const span = (key: (ms: number) => string, reach: number) => {
    let last: { from: number; to: number } | null = null
    return (ms: number) => {
      if (last && ms >= last.from && ms < last.to) return last
      // A local day lasts at most 25 hours (no zone moves by a day at once): `reach` is always past its ends.
      last = { from: lastChange(key, ms, ms - reach), to: firstChange(key, ms, ms + reach) }
      return last
    }
  }
  const days = span(day, 50 * HOUR)
  const months = span(month, 33 * 24 * HOUR)
  return {
    timeZone,
    day,
    month,
    nextDay: (ms) => days(ms).to,
    nextMonth: (ms) => months(ms).to,
    dayStart: (ms) => days(ms).from,
    monthStart: (ms) => months(ms).from,
  }
}
