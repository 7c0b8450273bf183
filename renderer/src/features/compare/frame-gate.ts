// What the compare view shows at each display refresh: the same frame number on every take. The transport keeps
// the videos' clocks within a fraction of a frame, but each video's decoder presents its frames on its own schedule:
// with four 1080p clips decoded in software on two cores, a video's frame misses a refresh now and then, and the
// four pictures on screen were up to three frames apart though their clocks agreed. So the videos are not shown
// themselves: each presented frame is held (a few per video), and at each refresh every take is drawn at frame N,
// the newest frame all of them have presented. A take that skipped N (its decoder dropped it) shows the frame
// before; a take ahead waits; a take two frames short holds every picture for that refresh. The display runs at most
// the slowest decoder's lag behind the master, and never shows takes more than one frame apart. Pure: the DOM
// (VideoFrame, canvas) is behind `release` and the caller's drawing, so tests drive it.

export interface Held<F> {
  frame: number
  item: F
}

export class FrameGate<F> {
  private readonly held: Array<Array<Held<F>>>
  /** The frame each take shows now (what was last returned for it), or null before its first. */
  private readonly shown: Array<number | null>
  /**
   * The item each take's picture was last drawn from: never released while it is on screen (a redraw after a resize
   * paints it again), even once the take has dropped it from what it holds; released when another replaces it.
   */
  private readonly onScreen: Array<F | null>
  /** Since when every picture has been held (a take behind or mid-seek), or null while they move. */
  private holdingSince: number | null = null

  /**
   * `release` frees an item no longer needed (VideoFrame.close: a held video frame pins a decoder buffer). At most
   * `capacity` frames are held per take; the oldest go first.
   */
  constructor(
    count: number,
    private readonly release: (item: F) => void,
    private readonly capacity = 6,
  ) {
    this.held = Array.from({ length: count }, () => [])
    this.shown = Array.from({ length: count }, () => null)
    this.onScreen = Array.from({ length: count }, () => null)
  }

  /** Release an item take `i` no longer holds, unless its picture shows it. */
  private drop(i: number, item: F): void {
    if (this.onScreen[i] !== item) this.release(item)
  }

  /** Take `i` presented `frame`. A frame at or before one it holds is a seek back (a loop's wrap): its later ones go. */
  offer(i: number, frame: number, item: F): void {
    const list = this.held[i]
    if (!list) {
      this.release(item)
      return
    }
    while (list.length && (list.at(-1) as Held<F>).frame >= frame) this.drop(i, (list.pop() as Held<F>).item)
    list.push({ frame, item })
    while (list.length > this.capacity) this.drop(i, (list.shift() as Held<F>).item)
  }

  /** The frame every take can show now: the newest all have presented (null until each has one). */
  target(): number | null {
    let n = Number.POSITIVE_INFINITY
    for (const list of this.held) {
      const newest = list.at(-1)
      if (!newest) return null
      n = Math.min(n, newest.frame)
    }
    return n
  }

  /**
   * At a display refresh: for each take, the frame to draw now (its held frame at the target, else the last before
   * it), or null where it already shows that one. Frames older than the one drawn are released.
   */
  draw(now = 0): Array<Held<F> | null> | null {
    const n = this.target()
    if (n === null) {
      // A take with nothing yet while another has frames: held (the first frames, a take that never presents).
      this.holding(
        now,
        this.held.some((list) => list.length > 0),
      )
      return null
    }
    const at = this.held.map((list) => {
      let k = -1
      for (let j = 0; j < list.length; j++) if ((list[j] as Held<F>).frame <= n) k = j
      return k
    })
    // A take holding only frames past the target is mid-seek back (a loop's wrap, a step back): every picture
    // stays as it is until it has presented the frame it seeks to.
    if (at.some((k) => k < 0)) {
      this.holding(now, true)
      return this.held.map(() => null)
    }
    // A take two or more frames short of the target (its decoder dropped a run, or it has just seeked ahead and
    // holds only an old frame before the jump): the pictures hold for that refresh rather than show frames apart.
    const lowest = Math.min(...at.map((k, i) => ((this.held[i] as Array<Held<F>>)[k] as Held<F>).frame))
    if (n - lowest > 1) {
      this.holding(now, true)
      return this.held.map(() => null)
    }
    this.holding(now, false)
    return this.held.map((list, i) => {
      const k = at[i] as number
      const pick = list[k] as Held<F>
      for (const old of list.splice(0, k)) this.drop(i, old.item)
      if (this.shown[i] === pick.frame) return null
      const before = this.onScreen[i] ?? null
      this.shown[i] = pick.frame
      this.onScreen[i] = pick.item
      if (before !== null && before !== pick.item && !list.some((h) => h.item === before)) this.release(before as F)
      return pick
    })
  }

  private holding(now: number, held: boolean): void {
    if (!held) this.holdingSince = null
    else if (this.holdingSince === null) this.holdingSince = now
  }

  /** How long every picture has been held at `now` (0 while they move): a take that stopped presenting frames. */
  stalledFor(now: number): number {
    return this.holdingSince === null ? 0 : now - this.holdingSince
  }

  /** The frame each take shows (null before its first). */
  showing(): ReadonlyArray<number | null> {
    return this.shown
  }

  /** Frees everything held (the view closes). */
  clear(): void {
    this.held.forEach((list, i) => {
      const screen = this.onScreen[i] ?? null
      for (const h of list.splice(0)) if (h.item !== screen) this.release(h.item)
      if (screen !== null) this.release(screen as F)
    })
    this.shown.fill(null)
    this.onScreen.fill(null)
    this.holdingSince = null
  }
}
