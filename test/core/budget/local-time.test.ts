// Days and months in the user's zone: a daily cap resets at local midnight, also on the 25-hour day when the
// clocks go back, and a month begins at local midnight on the 1st even when UTC is still in the month before.
import { describe, expect, it } from 'vitest'
import { localCalendar } from '../../../electron/core/budget/local-time'

const utc = (s: string) => Date.parse(s)

describe('local calendar', () => {
  it('counts the day in the given zone, not in UTC', () => {
    const ny = localCalendar('America/New_York')
    // 03:30 UTC on 1 Nov is 23:30 on 31 Oct in New York (EDT, UTC−4).
    expect(ny.day(utc('2026-11-01T03:30:00Z'))).toBe('2026-10-31')
    expect(ny.nextDay(utc('2026-11-01T03:30:00Z'))).toBe(utc('2026-11-01T04:00:00Z'))
    expect(ny.dayStart(utc('2026-11-01T03:30:00Z'))).toBe(utc('2026-10-31T04:00:00Z'))
    expect(localCalendar('UTC').day(utc('2026-11-01T03:30:00Z'))).toBe('2026-11-01')
  })

  it('ends the day the clocks go back after 25 hours', () => {
    const ny = localCalendar('America/New_York')
    // 1 Nov 2026: EDT ends at 02:00; the day runs from 04:00 UTC to 05:00 UTC the next day.
    const noon = utc('2026-11-01T17:00:00Z')
    expect(ny.dayStart(noon)).toBe(utc('2026-11-01T04:00:00Z'))
    expect(ny.nextDay(noon)).toBe(utc('2026-11-02T05:00:00Z'))
  })

  it('starts the month at local midnight on the 1st', () => {
    const auckland = localCalendar('Pacific/Auckland')
    // 11:00 UTC on 30 Nov is 00:00 on 1 Dec in Auckland (NZDT, UTC+13).
    expect(auckland.month(utc('2026-11-30T10:59:00Z'))).toBe('2026-11')
    expect(auckland.month(utc('2026-11-30T11:00:00Z'))).toBe('2026-12')
    expect(auckland.nextMonth(utc('2026-11-15T00:00:00Z'))).toBe(utc('2026-11-30T11:00:00Z'))
    expect(auckland.monthStart(utc('2026-12-10T00:00:00Z'))).toBe(utc('2026-11-30T11:00:00Z'))
  })

  it('handles half-hour zones', () => {
    const kolkata = localCalendar('Asia/Kolkata')
    expect(kolkata.nextDay(utc('2026-12-02T12:00:00Z'))).toBe(utc('2026-12-02T18:30:00Z'))
  })
})
