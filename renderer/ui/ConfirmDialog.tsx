import { ChoiceDialog } from './ChoiceDialog';

/**
 * Asks before something that cannot be taken back: a {@link ChoiceDialog} with one choice, marked
 * as dangerous. Focus starts on Cancel, Tab stays inside, Esc cancels, focus goes back after.
 */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ChoiceDialog
      title={props.title}
      message={props.message}
      cancelLabel={props.cancelLabel}
      choices={[{ label: props.confirmLabel, onChoose: props.onConfirm, danger: true }]}
      onCancel={props.onCancel}
    />
  );
}
