import { currentLanguage } from '../i18n';
import { directionOf } from '../i18n/language';

const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;
/** "موظف علاقات المستفيدين (Beneficiary-relations officer)": a name and a parenthetical. */
const NAME_WITH_GLOSS = /^(.*\S)\s+\(([^()]+)\)$/;

interface DisplayNameProps {
  name: string;
}

/**
 * A person's display name, which often mixes Arabic and Latin. The whole name is isolated
 * and reads in the interface's direction; a trailing parenthetical in the other script is
 * isolated again, so that when it wraps its brackets and hyphens stay where they belong.
 */
export function DisplayName({ name }: DisplayNameProps) {
  const dir = directionOf(currentLanguage());
  const parts = NAME_WITH_GLOSS.exec(name);
  if (!parts) return <bdi dir={dir}>{name}</bdi>;
  const [, main, gloss] = parts;
  return (
    <bdi dir={dir}>
      {main}{' '}
      <bdi dir={ARABIC_LETTER.test(gloss!) ? 'rtl' : 'ltr'}>({gloss})</bdi>
    </bdi>
  );
}
