/** Energy between two meter readings in kWh, never negative, rounded to whole Wh. */
export function energyKwh(startWh: number, endWh: number): number {
  return Math.max(0, Math.round(endWh - startWh)) / 1000;
}
