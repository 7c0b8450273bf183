// The prompt rule every adapter keeps before any request (issue 10, point 2): not empty, within the model's length,
// and free of Seedance's prompt "text commands" (`--rs 720p`, `--dur 5`: providers.md A1). Typed into a prompt they
// would fight the body fields and could make a video other than the one chosen and priced (ComfyUI refuses them too).
import type { ModelInfo } from '../../shared/providers'
import { ApiError } from './errors'
import { PROVIDER_ERROR } from './port'

export const PROMPT_TEXT_COMMAND =
  /(?:^|\s)(--(?:resolution|rs|ratio|rt|duration|dur|frames|framespersecond|framepersecond|fps|seed|camerafixed|cf|watermark|wm))(?=\s|=|$)/i

/**
 * Throws INVALID_PROMPT when the prompt is empty (unless `allowEmpty`: a first frame alone may carry the shot), too
 * long for `model` (named as `name`), or holds a text command (named, so the user knows what to remove).
 */
export function checkPrompt(prompt: string, model: ModelInfo, name: string, allowEmpty = false): void {
  const text = prompt.trim()
  const refuse = (message: string): never => {
    throw new ApiError({ code: PROVIDER_ERROR.invalidPrompt, message })
  }
  if (!text && !allowEmpty) refuse('The prompt is empty.')
  if (text.length > model.promptMax)
    refuse(
      `The prompt is ${text.length.toLocaleString('en-US')} characters; ${name} takes at most ${model.promptMax.toLocaleString('en-US')}.`,
    )
  const command = PROMPT_TEXT_COMMAND.exec(text)?.[1]
  if (command)
    refuse(
      `The prompt holds the text command "${command}": settings are sent in their own fields, so choose it in the app and remove "${command}" and its value from the prompt.`,
    )
}
