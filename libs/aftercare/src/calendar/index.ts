export { dutchPublicHolidays, easterSunday } from './dutch-holidays';
export { WorkingDaysCalendar } from './working-days.calendar';
