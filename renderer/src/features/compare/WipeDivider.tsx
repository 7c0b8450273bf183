/** The A/B wipe's divider: drag it, or focus it and use ←/→ (Shift: bigger steps), Home and End. */
export function WipeDivider({ value, onChange }: { value: number; onChange(value: number): void }) {
  const clamp = (v: number) => Math.max(0, Math.min(100, v))
  const fromPointer = (el: HTMLElement, clientX: number) => {
    const box = (el.parentElement as HTMLElement).getBoundingClientRect()
    onChange(clamp(((clientX - box.left) / box.width) * 100))
  }
  return (
    <div
      className="wipe-divider"
      role="slider"
      tabIndex={0}
      aria-label="Wipe position: A on the left, B on the right"
      aria-orientation="horizontal"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value)}
      aria-valuetext={`${Math.round(value)}% A`}
      data-testid="wipe-divider"
      style={{ left: `${value}%` }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId)
        fromPointer(e.currentTarget, e.clientX)
      }}
      onPointerMove={(e) => {
        if (e.currentTarget.hasPointerCapture(e.pointerId)) fromPointer(e.currentTarget, e.clientX)
      }}
      onKeyDown={(e) => {
        const step = e.shiftKey ? 10 : 2
        if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') onChange(clamp(value - step))
        else if (e.key === 'ArrowRight' || e.key === 'ArrowUp') onChange(clamp(value + step))
        else if (e.key === 'Home') onChange(0)
        else if (e.key === 'End') onChange(100)
        else return
        e.preventDefault()
      }}
    >
      <span className="wipe-handle" aria-hidden="true" />
    </div>
  )
}
