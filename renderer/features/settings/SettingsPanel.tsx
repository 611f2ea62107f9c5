import { Dialog } from '../../ui/Dialog';
import { useT } from '../../ui/useT';
import { LocalModelsSection } from './LocalModelsSection';
import { GeneralSection } from './GeneralSection';
import { DefaultsSection } from './DefaultsSection';
import { MistralSection } from './MistralSection';
import { EndpointsSection } from './EndpointsSection';
import { ConversationSection } from './ConversationSection';
import { DataSection } from './DataSection';

/** Settings: interface, providers and keys, the open conversation, and data. */
export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  return (
    <Dialog title={t('settings.title')} onClose={onClose}>
      <GeneralSection />
      <DefaultsSection />
      <MistralSection />
      <EndpointsSection />
      <LocalModelsSection />
      <ConversationSection />
      <DataSection />
    </Dialog>
  );
}
