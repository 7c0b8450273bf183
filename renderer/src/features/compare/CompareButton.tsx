import { MAX_TAKES, MIN_TAKES, openCompare } from './store'

/** "Compare N" for a selection of library videos: shown from two selected, usable up to four. */
export function CompareButton({ ids }: { ids: string[] }) {
  if (ids.length < MIN_TAKES) return null
  const tooMany = ids.length > MAX_TAKES
  return (
    <button
      type="button"
      disabled={tooMany}
      title={tooMany ? `Compare shows ${MIN_TAKES} to ${MAX_TAKES} videos; ${ids.length} are selected.` : undefined}
      onClick={() => openCompare(ids)}
    >
      Compare {ids.length}
    </button>
  )
}
