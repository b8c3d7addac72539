import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NameLanguage, RenamePrompt } from './nameChanges';

/** A name inside a sentence of the other script, isolated (FSI … PDI) so that it keeps its order. */
const isolate = (name: string) => `\u2068${name}\u2069`;

interface RenamePromptsProps {
  prompts: readonly RenamePrompt[];
  /** Sets the name; false when the element is gone. */
  onUpdate(prompt: RenamePrompt, value: string): void;
  onKeep(prompt: RenamePrompt): void;
}

/**
 * When an element's Arabic name changes, the process owner is asked whether its English name
 * should change too (and the other way round), with the name to set ready to edit. Shown above
 * the canvas and announced, without taking the focus from whatever they are typing in.
 */
export function RenamePrompts({ prompts, onUpdate, onKeep }: RenamePromptsProps) {
  return (
    <div aria-live="polite" data-testid="rename-prompts">
      {prompts.map((prompt) => (
        <RenamePromptCard key={`${prompt.elementId}-${prompt.changed}`} prompt={prompt} onUpdate={onUpdate} onKeep={onKeep} />
      ))}
    </div>
  );
}

function RenamePromptCard({ prompt, onUpdate, onKeep }: { prompt: RenamePrompt; onUpdate: RenamePromptsProps['onUpdate']; onKeep: RenamePromptsProps['onKeep'] }) {
  const { t } = useTranslation();
  const ids = useId();
  const [value, setValue] = useState(prompt.current ?? '');
  const update: NameLanguage = prompt.update;
  const trimmed = value.trim();
  return (
    <section className="card notice modeler-rename" aria-labelledby={`${ids}-heading`} data-testid="rename-prompt" data-element={prompt.elementId} data-update={update}>
      <h2 id={`${ids}-heading`} className="subheading">
        {t('modeler.rename.heading')}
      </h2>
      <p>
        {prompt.from
          ? t(`modeler.rename.renamed.${prompt.changed}`, { from: isolate(prompt.from), to: isolate(prompt.to ?? '') })
          : t(`modeler.rename.named.${prompt.changed}`, { to: isolate(prompt.to ?? '') })}{' '}
        {prompt.current ? t(`modeler.rename.stillSays.${update}`, { current: isolate(prompt.current) }) : t(`modeler.rename.missing.${update}`)}
      </p>
      <form
        className="modeler-rename-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (trimmed && trimmed !== prompt.current) onUpdate(prompt, trimmed);
        }}
      >
        <div className="field">
          <label htmlFor={`${ids}-name`}>{t(`modeler.rename.field.${update}`)}</label>
          <input id={`${ids}-name`} lang={update} dir={update === 'ar' ? 'rtl' : 'ltr'} value={value} maxLength={200} onChange={(e) => setValue(e.target.value)} data-testid="rename-value" />
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary button-small" disabled={!trimmed || trimmed === prompt.current}>
            {t(`modeler.rename.apply.${update}`)}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => onKeep(prompt)}>
            {t('modeler.rename.keep')}
          </button>
        </div>
      </form>
    </section>
  );
}
