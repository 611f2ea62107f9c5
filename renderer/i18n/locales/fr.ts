import type { Locale } from './en';

/** Français. */
export const fr: Locale = {
  'app.name': 'Causerie',
  'sidebar.label': 'Barre latérale',
  'sidebar.newChat': 'Nouvelle discussion',
  'sidebar.conversations': 'Conversations',
  'sidebar.empty': 'Aucune conversation pour l’instant.',
  'conversation.untitled': 'Nouvelle discussion',
  'thread.label': 'Fil',
  'thread.messages': 'Messages',
  'thread.emptyTitle': 'Bonjour !',
  'thread.emptyHint': 'Commencez une conversation : écrivez un message ci-dessous.',
  'message.you': 'Vous',
  'message.assistant': 'Assistant',
  'message.status.cancelled': 'Arrêté',
  'message.status.interrupted':
    'Interrompu : l’application s’est fermée pendant l’écriture de cette réponse',
  'composer.message': 'Message',
  'composer.placeholder': 'Écrire à Causerie…',
  'composer.send': 'Envoyer',
  'composer.stop': 'Arrêter',
  'markdown.copyCode': 'Copier',
  'markdown.copied': 'Copié',
  'markdown.imageBlocked': 'Image de {host} non chargée',
  'notice.noKey':
    'Aucune clé API Mistral n’est configurée. Obtenez-en une sur console.mistral.ai, puis démarrez Causerie avec la variable d’environnement MISTRAL_API_KEY. Vos messages sont enregistrés dans tous les cas.',
  'notice.disconnected': 'Connexion au moteur de Causerie perdue. Reconnexion…',
  'notice.dismiss': 'Fermer',
  'errors.VALIDATION': 'La requête a été refusée : {detail}',
  'errors.NOT_FOUND': 'Cet élément n’existe plus.',
  'errors.NOT_CONFIGURED':
    'Aucune clé API Mistral n’est configurée. Définissez MISTRAL_API_KEY et redémarrez Causerie.',
  'errors.PROVIDER_AUTH': 'Clé API refusée. Vérifiez votre clé et qu’elle est toujours active.',
  'errors.PAYMENT_REQUIRED':
    'Paiement requis : le compte du fournisseur n’a ni abonnement actif ni crédit.',
  'errors.RATE_LIMITED':
    'Le fournisseur limite le nombre de requêtes. Patientez un instant puis réessayez.',
  'errors.PROVIDER_ERROR': 'Le fournisseur a rencontré un problème : {detail}',
  'errors.NETWORK': 'La connexion a été perdue. La réponse partielle a été conservée.',
  'errors.TIMEOUT': 'Le fournisseur ne répond plus. La réponse partielle a été conservée.',
  'errors.CANCELLED': 'Arrêté.',
  'errors.MODEL_LOAD': 'Le modèle local n’a pas pu être chargé : {detail}',
  'errors.STORAGE': 'L’enregistrement a échoué : {detail}',
  'errors.INTERNAL':
    'Une erreur interne est survenue dans Causerie. Les détails sont dans le journal.',
};
