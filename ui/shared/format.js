// Formatting shared by the KIS widgets: KRW with thousands separators, KST clock times.
const KST_OFFSET_MS = 9 * 3600 * 1000

export function krw (n) {
    return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('ko-KR') : '—'
}

/** HH:MM:SS in KST of an epoch-ms instant (whatever the browser's time zone). */
export function kstClock (epochMs, withSeconds = true) {
    if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) return ''
    const d = new Date(epochMs + KST_OFFSET_MS)
    const p = (v) => String(v).padStart(2, '0')
    const hm = p(d.getUTCHours()) + ':' + p(d.getUTCMinutes())
    return withSeconds ? hm + ':' + p(d.getUTCSeconds()) : hm
}

/** KST date + time for a tooltip. */
export function kstDateTime (epochMs) {
    const d = new Date(epochMs + KST_OFFSET_MS)
    const p = (v) => String(v).padStart(2, '0')
    return d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + ' ' + kstClock(epochMs)
}

/** HHMMSS (KIS) → HH:MM:SS. */
export function kisTime (hhmmss) {
    const s = String(hhmmss || '')
    return s.length === 6 ? s.slice(0, 2) + ':' + s.slice(2, 4) + ':' + s.slice(4, 6) : s
}

/** Korean market colours: up red, down blue, unchanged grey. */
export const UP = '#e0294a'
export const DOWN = '#1f6fe5'
export const FLAT = '#8a8f98'
export function tone (diff) {
    return diff > 0 ? UP : diff < 0 ? DOWN : FLAT
}
