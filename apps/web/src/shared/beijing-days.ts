import { BEIJING_OFFSET_MS } from '@govflow/shared';
import dayjs, { type Dayjs } from 'dayjs';
import { formatTime } from './format-time';

/** The instant a Beijing calendar day starts, for the date shown in a picker (its y-m-d only). */
function beijingMidnight(day: Dayjs, plusDays = 0): number {
  return Date.UTC(day.year(), day.month(), day.date() + plusDays) - BEIJING_OFFSET_MS;
}

/**
 * A date range chosen in a picker as the instants it means here: from 00:00 of the first day to
 * the last moment of the last day, Beijing time, whatever zone the browser's machine is set to.
 */
export function beijingDayRange(from: Dayjs | null | undefined, to: Dayjs | null | undefined) {
  return {
    from: from ? new Date(beijingMidnight(from)).toISOString() : '',
    to: to ? new Date(beijingMidnight(to, 1) - 1).toISOString() : '',
  };
}

/** The picker's date for an instant: the Beijing calendar day it falls on. */
export function beijingDayOf(instant: string): Dayjs | null {
  return instant ? dayjs(formatTime(instant).slice(0, 10)) : null;
}
