/**
 * Dates are shown in the station's time zone, not the device's: a technician's phone may be set
 * to another zone, and supervisors compare times against the station's working day.
 */
export function dateTimeFormatter(locale: string, timeZone: string): Intl.DateTimeFormat {
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
}

/** Date and time apart, so a narrow table cell can put each on its own line. */
export function dateAndTimeFormatters(locale: string, timeZone: string) {
	return {
		date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }),
		time: new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone })
	};
}
