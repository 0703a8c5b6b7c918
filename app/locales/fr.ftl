# Portail Keyport : français. Les mêmes messages et { $variables } que en.ftl (Fluent).

# Around every page
app-title = Keyport
app-title_page = { $page } · Keyport
app-skip = Aller au contenu
language-label = Langue
language-submit = Changer
nav-main = Menu principal
nav-brand = Keyport
nav-dashboard = Tableau de bord
nav-licenses = Licences
nav-logout = Se déconnecter
loading = Chargement…
action-cancel = Annuler
pager-label = Pages
pager-newer = Plus récents
pager-older = Plus anciens
pager-previous = Précédent
pager-next = Suivant
pager-page = Page { $n }
notfound-title = Introuvable
notfound-heading = Page introuvable
notfound-text = Il n’y a rien à cette adresse. { $link }.
notfound-link = Aller à votre tableau de bord

# Offline banner
network-offline = Vous êtes hors ligne.
network-loaded_at = Affichage des données chargées à { $time }.
network-changes_off = Les modifications sont désactivées jusqu’au retour de la connexion ; rien n’est envoyé plus tard à votre insu.
network-reason = Hors ligne : reconnectez-vous pour utiliser ceci
offline_page-title = Vous êtes hors ligne
offline_page-lead = Keyport est injoignable pour le moment, cette page ne peut donc pas être affichée.
offline_page-retry = Vérifiez votre connexion. La page réessaie d’elle-même toutes les quelques secondes.
offline_page-again = Réessayer

# Counts
count-deactivation =
    { $n ->
        [one] { $n } désactivation
       *[other] { $n } désactivations
    }
count-device =
    { $n ->
        [one] { $n } appareil
       *[other] { $n } appareils
    }
count-active_device =
    { $n ->
        [one] { $n } appareil actif
       *[other] { $n } appareils actifs
    }
count-license_user =
    { $n ->
        [one] { $n } utilisateur de licence
       *[other] { $n } utilisateurs de licence
    }
count-subscription =
    { $n ->
        [one] { $n } abonnement
       *[other] { $n } abonnements
    }
count-minute =
    { $n ->
        [one] { $n } minute
       *[other] { $n } minutes
    }

# Column headings and field labels used on several pages
label-product = Produit
label-type = Type
label-status = Statut
label-valid_from = Valide à partir du
label-valid_until = Valide jusqu’au
label-seats = Places
label-devices = Appareils
label-deactivations = Désactivations
label-subscriptions = Abonnements
label-your_role = Votre rôle
label-name = Nom
label-email = E-mail
label-actions = Actions
label-time = Heure
label-who = Qui
label-what = Quoi
label-customer = Client
label-licenses = Licences
label-accounts = Comptes

# Values the services hand over as codes
license_type-personal = Abonnement personnel
license_type-organisation = Abonnement organisation
license_type-offline_organisation = Abonnement organisation hors ligne
license_type-experimental = Abonnement expérimental
license_status-active = Active
license_status-suspended = Suspendue
license_status-expired = Expirée
role-manager = Gestionnaire de licence
role-user = Utilisateur de licence

# Log in
login-title = Connexion
login-lead = Connectez-vous pour voir votre licence, ses appareils et ses utilisateurs.
login-logged_out = Vous avez été déconnecté.
login-password_set = Votre mot de passe est défini. Connectez-vous avec lui maintenant.
login-company = Identifiant de l’entreprise
login-email = E-mail
login-password = Mot de passe
login-submit = Se connecter
login-hint = Utilisez le même e-mail et le même mot de passe que dans l’application de bureau. L’identifiant de votre entreprise est le nom de votre éditeur de logiciel.
login-forgot = Mot de passe oublié ?
forgot-title = Réinitialiser votre mot de passe
forgot-lead = Saisissez l’identifiant de votre entreprise et l’e-mail avec lequel vous vous connectez. Nous vous envoyons un lien pour choisir un nouveau mot de passe.
forgot-submit = Envoyer le lien
forgot-back = Retour à la connexion
forgot-sent = Si un compte existe avec cet identifiant d’entreprise et cet e-mail, un lien pour choisir un nouveau mot de passe est en route vers cet e-mail. Il fonctionne une fois, pendant une heure.

# Dashboard and licenses
dashboard-title = Tableau de bord
dashboard-welcome = Bienvenue, { $name }
dashboard-no_role = Aucune licence attribuée
dashboard-company = Entreprise
dashboard-vendor = Éditeur
dashboard-as_manager = En tant que gestionnaire de licence, vous pouvez réinitialiser tout appareil de votre licence et choisir qui l’utilise dans son onglet Utilisateurs.
dashboard-as_user = En tant qu’utilisateur de licence, vous pouvez voir votre licence et réinitialiser vos propres appareils.
dashboard-no_license = Demandez à votre gestionnaire de licence de vous attribuer une licence.
dashboard-open_console = Ouvrir la console éditeur
dashboard-view_license = Voir votre licence
licenses-title = Licences
licenses-empty = Aucune licence ne vous est encore attribuée. Demandez à votre gestionnaire de licence.
tabs-label = Licence
tabs-overview = Aperçu
tabs-devices = Appareils
tabs-users = Utilisateurs
tabs-activity = Activité
usage-label = Utilisation
usage-seats = Places occupées
usage-devices = Appareils actifs
usage-deactivations = Désactivations utilisées
usage-meter = { $label } : { $used } sur { $allowed }

# Overview tab and Reset license
overview-heading = Licence
overview-reset_done = La licence a été réinitialisée : { $devices } désactivé(s) et { $users } retiré(s). Il reste { $left }.
overview-seats = { $used } sur { $allowed } occupées
overview-devices = { $used } sur { $allowed } actifs
overview-deactivations = { $used } sur { $allowed } utilisées (il en reste { $left })
overview-hint = La licence est activée sur trop d’appareils ? Réinitialisez-en un dans l’onglet { $link }. Chaque réinitialisation utilise une désactivation ; quand il n’en reste plus, contactez votre éditeur pour réinitialiser la limite.
reset_license-heading = Réinitialiser la licence
reset_license-hint = Repartez de zéro quand la licence est sur des appareils ou chez des personnes où elle ne devrait plus être : tous les appareils et toutes les attributions sont retirés d’un coup.
reset_license-open = Réinitialiser la licence…
reset_license-confirm_title = Réinitialiser toute la licence ?
reset_license-confirm_text = Cela désactive les { $devices } de cette licence et retire tous les utilisateurs de licence ; les gestionnaires gardent leur place. Chacun doit réactiver l’application de bureau. Cela utilise 1 des { $left } restantes.
reset_license-submit = Réinitialiser la licence

# Offline activation
offline-heading = Activation hors ligne
offline-hint = Pour un ordinateur sans connexion Internet : dans l’application de bureau, choisissez l’activation hors ligne et enregistrez le fichier de demande d’activation, apportez-le ici et téléchargez un fichier de licence pour cet ordinateur. Copiez le fichier de licence sur l’ordinateur et ouvrez-le dans l’application. Il occupe une place d’appareil, comme une activation en ligne, et reste valide jusqu’à la fin de la licence ; réinitialiser l’appareil dans l’onglet Appareils libère la place.
offline-file = Fichier de demande d’activation
offline-paste = Ou collez la demande
offline-placeholder = { "{" }"format": "keyport-offline-request/1", …{ "}" }
offline-submit = Télécharger le fichier de licence

# Devices tab
devices-heading = Appareils
devices-hint = Tous les appareils sur lesquels la licence est activée. Réinitialisez un appareil pour libérer sa place quand l’application de bureau indique que la licence est sur trop d’appareils.
devices-done = { $name } a été réinitialisé. Il reste { $left }.
devices-empty = Aucun appareil n’est actif sur cette licence.
devices-no_match = Aucun appareil actif ne correspond à cette recherche.
devices-search_label = Trouver un appareil par nom ou identifiant matériel
devices-search = Rechercher
devices-device = Appareil
devices-os = Système
devices-activated_by = Activé par
devices-first_activated = Première activation
devices-last_seen = Dernière connexion
devices-by_license_key = Clé de licence
devices-reset = Réinitialiser
devices-reset_label = Réinitialiser { $name }
devices-confirm_title = Réinitialiser { $name } ?
devices-confirm_text = Cela désactive l’appareil : l’application de bureau doit y être réactivée. Cela utilise 1 des { $left } restantes sur cette licence.
devices-submit = Réinitialiser l’appareil

# Activity tab
activity-heading = Activité
activity-hint = Chaque modification de cette licence : qui l’a faite, quand et depuis quelle adresse.
activity-subject = Appareil ou utilisateur
activity-ip = Adresse IP

# Users tab
users-heading = Utilisateurs
users-hint = Les personnes qui peuvent utiliser cette licence, une place chacune. Les gestionnaires de licence peuvent tout faire ici ; les utilisateurs de licence voient la licence et réinitialisent leurs propres appareils.
users-created = Le compte { $email } a été créé.
users-created_assigned = Le compte { $email } a été créé et a reçu une place.
users-invited = Invitation envoyée à { $email }.
users-invited_assigned = Invitation envoyée à { $email }, avec une place sur cette licence.
users-invitation_resent = Une nouvelle invitation a été envoyée à { $email }. Le lien envoyé avant ne fonctionne plus.
users-invitation_pending = Invitation en attente
users-resend = Renvoyer l’invitation
users-resend_label = Renvoyer l’invitation à { $name }
users-assigned = { $name } est maintenant utilisateur de licence.
users-unassigned = { $name } a été retiré ; { $devices } désactivé(s) (aucune désactivation utilisée).
users-now_manager = { $name } est maintenant gestionnaire de licence.
users-now_user = { $name } est maintenant utilisateur de licence.
users-seats_used = { $used } places sur { $allowed } occupées ; { $left }.
users-none_left = aucune de libre
users-some_left = { $n } libre(s)
users-more_seats = { $link } — ou retirez quelqu’un qui n’a plus besoin de place.
users-more_seats_link = Comment acheter des abonnements supplémentaires
users-role = Rôle
users-assigned_since = Attribué depuis
users-devices_in_use = Appareils utilisés
users-last_manager = Dernier gestionnaire
users-make_manager = Nommer gestionnaire
users-make_user = Nommer utilisateur de licence
users-role_label = { $action } : { $name }
users-unassign = Retirer
users-unassign_label = Retirer { $name }
users-unassign_title = Retirer { $name } ?
users-unassign_text =
    { $n ->
        [one] { $name } perd l’accès à cette licence à sa prochaine requête, et l’appareil ({ $n }) qu’il ou elle a activé est désactivé. Cela n’utilise pas de désactivation.
       *[other] { $name } perd l’accès à cette licence à sa prochaine requête, et les { $n } appareils qu’il ou elle a activés sont désactivés. Cela n’utilise pas de désactivation.
    }
users-unassign_submit = Retirer l’utilisateur
users-assign_heading = Attribuer un utilisateur de licence
users-assign_none = Chaque compte de votre entreprise a déjà une place. Créez un utilisateur ci-dessous pour ajouter quelqu’un.
users-account = Compte
users-assign_submit = Attribuer un utilisateur de licence
users-create_heading = Créer un utilisateur
users-initial_password = Mot de passe initial
users-password_hint = Au moins 8 caractères. Laissez vide pour envoyer à la personne une invitation par e-mail à choisir son propre mot de passe.
users-assign_seat = Attribuer une place sur cette licence maintenant
users-create_submit = Créer l’utilisateur

# Set password and seats help
set_password-title = Définir votre mot de passe
set_password-lead = Pour { $name } ({ $email }). Vous vous connecterez avec l’identifiant d’entreprise « { $company } ».
set_password-new = Nouveau mot de passe
set_password-confirm = Confirmer le mot de passe
set_password-submit = Définir le mot de passe
seats_help-title = Acheter plus de places
seats_help-heading = Nombre maximal d’utilisateurs de licence atteint
seats_help-intro = Chaque abonnement de votre licence apporte un certain nombre de places, une par utilisateur de licence. Quand toutes les places sont prises, personne d’autre ne peut être attribué tant que vous n’en avez pas davantage.
seats_help-how = Comment obtenir plus de places
seats_help-step1 = Achetez des abonnements supplémentaires du même produit auprès de votre éditeur de logiciel (mettez à niveau votre offre sur son site web ou contactez son équipe commerciale).
seats_help-step2 = L’éditeur les ajoute à votre licence existante : vous gardez une seule licence, et son nombre de places augmente. Rien n’est à réactiver.
seats_help-step3 = De retour dans l’onglet Utilisateurs de la licence, attribuez les nouveaux utilisateurs de licence.
seats_help-free = Ou libérez une place : retirez quelqu’un qui n’utilise plus le logiciel. Ses appareils sont désactivés sans utiliser de désactivation.
seats_help-back = Retour à vos licences

# Vendor console
admin-title = Console éditeur
admin-brand = Keyport · Console éditeur
admin-customers = Clients
admin-audit = Journal d’audit
admin-search_label = Rechercher des clients
admin-search = Rechercher
admin-no_customers = Aucun client ne correspond.
admin-since = Depuis
admin-create_customer = Créer un client
admin-customer_name = Nom du client
admin-customer_created = Le client a été créé.
admin-customer_renamed = Le client a été renommé.
admin-no_seat = aucune place
admin-add_account = Ajouter un compte
admin-customer_log = Journal d’audit de ce client
admin-rename = Renommer
admin-no_licenses = Pas encore de licence : vendez-en une ci-dessous.
admin-sell = Vendre une licence
admin-sell_first_account = Ajoutez d’abord le compte de la personne qui l’a achetée ; elle en devient propriétaire.
admin-owner = Propriétaire
admin-subscriptions_bought = Abonnements achetés
admin-seats_per_subscription = Places par abonnement
admin-devices_per_subscription = Appareils par abonnement
admin-deactivations_allowed = Désactivations autorisées
admin-valid_days = Valide pendant (jours)
admin-license_created = La licence a été créée.
admin-subscriptions_added = { $subscriptions } ajouté(s).
admin-limits_saved = Les limites ont été enregistrées.
admin-limit_reset = La limite de désactivations a été réinitialisée : toutes les désactivations sont de nouveau disponibles.
admin-license_suspended = La licence a été suspendue.
admin-license_resumed = La licence a été réactivée.
admin-license_key = Clé de licence (affichée seulement maintenant ; Keyport n’en garde que le hachage) : { $key }
admin-reset_limit = Réinitialiser la limite de désactivations
admin-reset_limit_hint = Quand le client a utilisé toutes ses désactivations et en demande davantage. La raison est inscrite au journal d’audit.
admin-reason = Raison
admin-limits = Limites
admin-valid_until_utc = Valide jusqu’au (UTC)
admin-save_limits = Enregistrer les limites
admin-add_subscriptions = Ajouter des abonnements
admin-subscriptions_to_add = Abonnements à ajouter
admin-suspend = Suspendre la licence
admin-resume = Réactiver la licence
admin-suspend_hint = Une licence suspendue refuse l’application de bureau jusqu’à sa réactivation.
admin-license_log = Journal d’audit de cette licence
admin-who_filter = Qui (nom ou e-mail)
admin-kind = Type
admin-any = Tous
admin-from = Du
admin-to = Au
admin-filter = Filtrer
admin-clear = Effacer
admin-license = Licence
admin-details = Détails
admin-system = Système

# Vendor console: LicenseSpring SDK page
integrations-nav = Intégrations
integrations-title = Intégrations
integrations-intro = Reliez vos propres systèmes à Keyport : une boutique en ligne vend et consulte des licences via l’API de gestion avec une clé créée ici.
integrations-keys = Clés de l’API de gestion
integrations-keys_hint = Une clé agit pour votre société uniquement et n’est affichée qu’une fois, à sa création. Ses modifications apparaissent dans le journal sous « API key » suivi de son nom. L’API est décrite à /api/v1/manage/openapi.json.
integrations-key_name = Nom
integrations-create_key = Créer une clé
integrations-created = La clé { $name } a été créée.
integrations-new_key = Copiez la clé maintenant ; elle ne sera plus affichée : { $key } Envoyez-la en « Authorization: Bearer » avec chaque requête.
integrations-revoked_note = La clé a été révoquée. Les requêtes qui l’utilisent sont refusées dès maintenant.
integrations-no_keys = Il n’y a pas encore de clé.
integrations-prefix = La clé commence par
integrations-created_at = Créée
integrations-created_by = Créée par
integrations-last_used = Dernière utilisation
integrations-status = État
integrations-never = Jamais
integrations-revoke = Révoquer
integrations-revoked = Révoquée le
webhooks-title = Webhooks
webhooks-hint = Keyport envoie les événements de votre société à ces adresses dès qu’ils ont lieu, en JSON signé avec le secret du point de terminaison (en-tête Keyport-Signature ; le README montre comment le vérifier). Une livraison échouée est retentée pendant un jour ; l’ordre des événements d’une licence est conservé.
webhooks-url = Adresse du point de terminaison
webhooks-events = Événements
webhooks-add = Ajouter le point de terminaison
webhooks-created = Le point de terminaison { $url } a été ajouté.
webhooks-new_secret = Copiez son secret de signature maintenant ; il ne sera plus affiché : { $secret }
webhooks-deleted = Le point de terminaison a été supprimé. Plus rien ne lui est envoyé.
webhooks-redelivered = La livraison a été remise en file.
webhooks-none = Il n’y a pas encore de point de terminaison webhook.
webhooks-delete = Supprimer
webhooks-deliveries = Livraisons récentes
webhooks-no_deliveries = Rien n’a encore été envoyé.
webhooks-event = Événement
webhooks-attempts = Tentatives
webhooks-redeliver = Renvoyer
webhooks-status-delivered = Livrée
webhooks-status-failed = Abandonnée
webhooks-status-waiting = En attente
webhooks-status-retrying = Nouvel essai prévu
licensespring-nav = SDK LicenseSpring
licensespring-title = SDK LicenseSpring
licensespring-intro = Les applications construites sur le SDK de LicenseSpring s’activent auprès de Keyport avec ces réglages : passez-les à la Configuration du SDK, et la clé publique à une sous-classe de SignatureVerifier (voir « Migrating from LicenseSpring » dans le README).
licensespring-configuration = Configuration
licensespring-reveal = Afficher
licensespring-hide = Masquer
licensespring-no_products = Aucun produit pour l’instant : vendez d’abord une licence.
licensespring-public_key = Clé publique
licensespring-public_key_hint = Keyport signe ses réponses avec cette clé RSA ; le SignatureVerifier.PUBLIC_KEY de l’application la contient, afin qu’elle n’accepte que les réponses de ce serveur.
licensespring-public_key_pem = Clé publique (PEM)
licensespring-copy = Copier
licensespring-copied = Copiée.
licensespring-rotate = Renouveler la clé partagée
licensespring-rotate_hint = Pour une clé partagée qui a fuité. La clé d’API et la clé publique restent.
licensespring-rotate_confirm_title = Renouveler la clé partagée ?
licensespring-rotate_confirm_text = La clé partagée actuelle cesse aussitôt de fonctionner : toute application construite avec elle est refusée jusqu'à ce qu’elle soit reconstruite avec la nouvelle.
licensespring-rotate_submit = Renouveler maintenant
licensespring-rotated = La clé partagée a été renouvelée. Les applications construites avec l’ancienne sont refusées jusqu'à ce qu’elles soient reconstruites avec la nouvelle.

# Audit log: kinds and actions
audit-kind-device = Appareils
audit-kind-license = Licences
audit-kind-user = Utilisateurs
audit-kind-customer = Clients
audit-kind-signing_key = Clés de signature
audit-action-device-activated = Appareil activé
audit-action-device-reactivated = Appareil réactivé (nouveau jeton)
audit-action-device-activated_offline = Appareil activé hors ligne (fichier de licence émis)
audit-action-device-reactivated_offline = Fichier de licence hors ligne émis à nouveau
audit-action-device-deactivated_by_app = Appareil désactivé par l’application
audit-action-device-reset = Appareil réinitialisé
audit-action-device-removed_by_vendor = Appareil retiré par l'éditeur
audit-action-device-limit_refused = Activation refusée : trop d’appareils
audit-action-license-reset = Licence réinitialisée
audit-action-license-created = Licence créée
audit-action-license-key_issued = Clé de licence émise
audit-action-signing_key-created = Clé de signature créée
audit-action-signing_key-licensespring_created = Clés de l'API LicenseSpring créées
audit-action-signing_key-licensespring_rotated = Clé partagée LicenseSpring renouvelée
audit-action-signing_key-api_key_created = Clé d’API de gestion créée
audit-action-signing_key-api_key_revoked = Clé d’API de gestion révoquée
audit-action-tenant-webhook_redelivered = Livraison de webhook renvoyée
audit-action-tenant-webhook_deleted = Point de terminaison webhook supprimé
audit-action-tenant-webhook_created = Point de terminaison webhook enregistré
audit-action-license-subscriptions_added = Abonnements ajoutés
audit-action-customer-created = Client créé
audit-action-customer-renamed = Client renommé
audit-action-tenant-created = Éditeur créé
audit-action-tenant-mail_settings_changed = Réglages des e-mails modifiés
audit-action-license-deactivation_limit_reset = Limite de désactivations réinitialisée par l’éditeur
audit-action-license-limits_changed = Limites modifiées par l’éditeur
audit-action-license-suspended = Licence suspendue
audit-action-license-resumed = Licence réactivée
audit-action-user-created = Utilisateur créé
audit-action-user-assigned = Utilisateur attribué
audit-action-user-unassigned = Utilisateur retiré
audit-action-user-role_changed = Rôle modifié
audit-action-user-password_set = Mot de passe défini
audit-kind-tenant = Éditeur
audit-subject-account_assigned = { $person }, avec une place
audit-subject-unassigned = { $person } ; { $devices } désactivé(s)
audit-subject-role_changed = { $person } : { $role }
audit-subject-license_sold = { $type } pour { $email }
audit-subject-license_key = Clé de licence (jamais affichée dans le journal)
audit-action-customer-imported = Client importé
audit-action-user-imported = Utilisateur importé
audit-action-user-seat_imported = Place importée
audit-action-license-imported = Licence importée (clé conservée)
audit-action-device-imported = Appareil actif importé
audit-subject-imported = { $name } (fichier d'import, ligne { $line })
audit-subject-mail_settings = langue par défaut { $language }, adresse du support { $support }
audit-subject-subscriptions_added = { $subscriptions } de plus
audit-subject-license_reset = { $devices } désactivé(s) ; { $users } retiré(s)
audit-subject-deactivation_limit_reset = { $used } utilisée(s) avant ; motif : { $reason }
audit-subject-limits = Places { $seats }, appareils { $devices }, désactivations { $deactivations }, valide jusqu'au { $until }
audit-subject-tenant = { $name }, administrateur éditeur { $email }

# Errors (licensing::AppError)
error-unauthenticated = Veuillez vous connecter pour continuer.
error-invalid_credentials = L’identifiant d’entreprise, l’e-mail ou le mot de passe est incorrect.
error-forbidden = Vous n’avez pas l’autorisation de faire cela.
error-not_found = { $what } : introuvable, ou vous n’y avez pas accès.
error-invalid = { $field } : { $message }
error-too_many_devices = Cette licence est activée sur trop d’appareils (la limite est { $allowed }). Réinitialisez un appareil dans l’onglet Appareils de la licence pour libérer une place.
error-deactivation_limit_reached = La limite de désactivations est atteinte : les { $allowed } réinitialisations d’appareil de cette licence sont utilisées. Contactez votre éditeur pour réinitialiser la limite.
error-seat_limit_reached = Nombre maximal d’utilisateurs de licence atteint ({ $allowed } places). Achetez des abonnements supplémentaires pour attribuer plus d’utilisateurs.
error-no_license = Aucune licence n’est attribuée à ce compte. Demandez à votre gestionnaire de licence de vous attribuer une licence.
error-license_inactive = Cette licence est expirée ou suspendue. Contactez votre éditeur pour la renouveler.
error-device_deactivated = Cet appareil a été désactivé. Activez-le à nouveau pour y utiliser le logiciel.
error-too_many_attempts = Trop de tentatives échouées. Réessayez dans { $minutes }.
error-unavailable = Keyport est temporairement indisponible. Veuillez réessayer dans un instant.
error-busy = Keyport est très sollicité en ce moment. Veuillez réessayer dans un instant.
error-offline = Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.
error-internal = Une erreur s’est produite de notre côté. Veuillez réessayer ; si cela se reproduit, contactez votre éditeur.

# What was not found (licensing::Thing)
thing-account = Compte
thing-company = Entreprise
thing-customer = Client
thing-device = Appareil
thing-license = Licence
thing-message = e-mail
thing-api_key = clé d’API
thing-webhook_delivery = livraison de webhook
thing-webhook_endpoint = point de terminaison webhook
thing-record = Enregistrement
thing-user = Utilisateur

# Field names of invalid input (licensing::Field); the API's and the CLI's names stay as they are
field-company_id = Identifiant de l’entreprise
field-email = E-mail
field-password = Mot de passe
field-confirm_password = Confirmer le mot de passe
field-name = Nom
field-kind = Type
field-subscriptions = Abonnements
field-seats = Places
field-devices = Appareils
field-deactivations = Désactivations
field-valid_until = Valide jusqu’au
field-valid_for = Valide pendant
field-language = Langue
field-support_email = Adresse du support
field-owner = Propriétaire
field-product = Produit
field-reason = Raison
field-link = Lien
field-customer = Client
field-type = Type
field-role = Rôle
field-activation_request = Demande d’activation
field-form = Formulaire

# Why input was refused (licensing::InvalidReason); shown after the field's name
invalid-required = est obligatoire.
invalid-required_for_audit = est obligatoire : indiquez pourquoi la limite est levée (elle est inscrite au journal d’audit).
invalid-too_long = doit compter au plus { $max } caractères.
invalid-at_least = doit être au moins { $min }.
invalid-at_most = doit être au plus { $max }.
invalid-not_negative = ne doit pas être négatif.
invalid-contains_nul = ne doit pas contenir de caractère NUL.
invalid-line_break = doit tenir sur une ligne.
invalid-common_password = est l’un des mots de passe les plus courants, que les attaquants essaient en premier. Choisissez-en un autre.
invalid-password_mismatch = ne correspond pas au mot de passe.
invalid-email_format = saisissez une adresse comme name@example.com.
invalid-company_id_format = utilisez 1 à 64 lettres, chiffres, '-' ou '_'.
invalid-date_format = saisissez une date comme 2027-12-31.
invalid-unknown_kind = n’est pas un type d’événement.
invalid-unknown_role = doit être gestionnaire ou utilisateur.
invalid-unknown_language = doit être l’une des langues du portail : English, Deutsch, Français ou Español.
invalid-no_license_type = choisissez un type de licence.
invalid-after_start = doit être après la date de début.
invalid-no_later_than_days = doit être au plus tard dans { $days } jours.
invalid-not_of_customer = doit être un compte de ce client.
invalid-customer_mismatch = les comptes clients ont besoin d’un client, le personnel de l’éditeur d’aucun.
invalid-would_exceed = la licence dépasserait { $max } ; ajoutez moins d'abonnements.
invalid-personal_one_user = une licence personnelle a exactement un utilisateur.
invalid-below_seats_in_use = { $used } sont occupées ; retirez des utilisateurs avant de descendre en dessous.
invalid-below_devices_active = { $active } sont actifs ; réinitialisez des appareils avant de descendre en dessous.
invalid-below_deactivations_used = { $used } sont utilisées ; réinitialisez la limite de désactivations avant de descendre en dessous.
invalid-link_unusable = il est inconnu, déjà utilisé ou expiré. Demandez-en un nouveau à votre gestionnaire de licence.
invalid-request_missing = choisissez le fichier de demande écrit par l’application de bureau, ou collez son contenu.
invalid-request_too_large = le fichier dépasse { $kib } Kio ; choisissez le fichier de demande écrit par l’application de bureau.
invalid-request_unreadable = ce n’est pas une demande d’activation Keyport ({ $detail }).
invalid-other_license = cette demande concerne une autre licence.
invalid-form_unsent = envoyez le formulaire avec le fichier de demande ou son contenu collé.
invalid-form_unreadable = le formulaire n’a pas pu être lu ; veuillez réessayer.
invalid-too_short = doit compter au moins { $min } caractères.
invalid-required_for_new_owner = est obligatoire quand le propriétaire n’a pas encore de compte.
invalid-key_or_login = est obligatoire, ou l’entreprise, l’e-mail et le mot de passe.
invalid-key_with_login = ne peut pas être combiné avec l’entreprise, l’e-mail et le mot de passe : envoyez l’un ou l’autre.
invalid-other_customer = ce compte appartient à un autre client.
invalid-no_vendor_admin = aucun administrateur de l’éditeur avec cet e-mail pour cet identifiant d’entreprise.
invalid-not_vendor_admin = ce compte n’est pas administrateur de l’éditeur de ce locataire.
invalid-request_not_json = ce n’est pas une demande d’activation Keyport (pas du JSON : { $detail }).
invalid-request_no_format = ce n’est pas une demande d’activation Keyport (pas de "format": "{ $expected }").
invalid-format_unsupported = « { $given } » n’est pas pris en charge ; ce portail lit « { $expected } ».
invalid-not_json_object = doit être un objet JSON.
invalid-not_json = n’est pas du JSON valide.
invalid-unknown_field = n’est pas un champ connu.
invalid-not_valid = n’est pas valide : { $detail }.
invalid-unreadable = n’a pas pu être lu.
invalid-stdin_unreadable = n’a pas pu être lu sur l’entrée standard.
invalid-malformed = { $detail }

# Conflicts (licensing::ConflictReason)
conflict-already_exists = Cela existe déjà.
conflict-company_taken = L’identifiant d’entreprise { $company } est déjà pris.
conflict-email_taken = Un compte avec l’e-mail { $email } existe déjà. Attribuez-le au lieu de le créer à nouveau.
conflict-personal_has_no_users = Une licence personnelle a exactement un utilisateur ; il n’y a pas d’utilisateurs à gérer.
conflict-license_changed = La licence a changé pendant la création du compte. Réessayez.
conflict-already_assigned = Cette personne est déjà utilisatrice de cette licence.
conflict-last_manager = Une licence a besoin d’au moins un gestionnaire. Nommez d’abord quelqu’un d’autre gestionnaire.
conflict-nothing_to_reset = Il n’y a rien à réinitialiser : aucun appareil n’est actif et aucun utilisateur de licence n’est attribué.
conflict-invitation_used = Cette personne a déjà choisi un mot de passe : il n’y a pas d’invitation à renvoyer. Si elle l’a oublié, elle peut utiliser « Mot de passe oublié ? » sur la page de connexion.
conflict-device_already_reset = L’appareil « { $name } » a déjà été réinitialisé.
conflict-already_manager = { $name } est déjà gestionnaire de licence.
conflict-already_user = { $name } est déjà utilisateur de licence.
conflict-already_suspended = La licence est déjà suspendue.
conflict-already_active = La licence est déjà active.
conflict-other_license_type = La licence du client pour { $product } est d’un autre type ({ $type }) ; changez son type au lieu d’en acheter une d’un autre genre.
conflict-offline_only = L’activation hors ligne est réservée aux licences Organisation hors ligne, et celle-ci est d’un autre type ({ $type }). Activez plutôt l’application de bureau en ligne.
conflict-order_reused = La commande { $order } a déjà été passée avec un autre contenu. Envoyez un nouvel identifiant pour une nouvelle commande.
conflict-order_in_progress = La commande { $order } est en cours de traitement par une autre requête. Renvoyez-la dans un instant pour obtenir sa réponse.
conflict-owner_of_other_customer = { $email } a déjà un compte chez un autre client. Utilisez une autre adresse pour le titulaire de ce client.

# Seats an account holds, in the vendor console
seat-manager_of = Gestionnaire de licence de { $product }
seat-user_of = Utilisateur de licence de { $product }

outbox-nav = E-mails
outbox-title = E-mails
outbox-intro = Chaque e-mail que Keyport a écrit pour vos clients, du plus récent au plus ancien. Sans serveur SMTP (--smtp-url), les messages attendent ici : vous voyez exactement ce qui serait envoyé.
outbox-settings = Réglages des e-mails
outbox-default_language = Langue des e-mails aux personnes qui n’en ont pas choisi
outbox-support_email = Adresse du support (les réponses y arrivent)
outbox-support_hint = Laissez l’adresse du support vide pour que les réponses aillent à l’adresse d’envoi (--mail-from). Les autres reçoivent les e-mails dans la langue qu’ils ont utilisée en dernier dans le portail.
outbox-settings_save = Enregistrer les réglages des e-mails
outbox-settings_saved = Les réglages des e-mails ont été enregistrés.
outbox-empty = Aucun e-mail pour l’instant.
outbox-to = À
outbox-subject = Objet
outbox-kind = Type
outbox-status = État
outbox-pages = Pages d’e-mails
outbox-newer = Plus récents
outbox-older = Plus anciens
outbox-text = Texte
outbox-last_error = Dernière erreur
outbox-status-waiting = En attente d’envoi
outbox-status-retrying = Pas encore remis ; nouvel essai prévu
outbox-status-sent = Envoyé
outbox-status-failed = Non remis (abandonné)
outbox-kind-credentials = Identifiants après un achat
outbox-kind-receipt = Reçu de nouveaux abonnements
outbox-kind-invitation = Invitation
outbox-kind-invitation_refused = Invitation refusée
outbox-kind-password_reset = Réinitialisation du mot de passe
outbox-kind-password_changed = Mot de passe modifié

## Imports (keyport import licensespring) : le rapport
import-refused-unreadable = la ligne est illisible ({ $detail })
import-refused-missing = { $field } manque
import-refused-bad_value = { $field } « { $value } » n'est pas { $expected }
import-expected-whole_number = un nombre entier de 0 à { $max }
import-expected-true_or_false = true ou false
import-expected-license_type = perpetual, time-limited ou subscription
import-expected-license_id = un identifiant de licence LicenseSpring (un nombre entier)
import-expected-email = une adresse e-mail
import-expected-date_or_time = une date (2024-09-27) ou une heure (2024-09-27T23:30:48Z)
import-expected-plain_text = un texte sans caractères de contrôle
import-expected-at_most = un texte d'au plus { $chars } caractères
import-expected-free_product_code = un code court qui ne nomme aucun autre produit
import-refused-key_on_another_customer = cette clé de licence est ici la licence d'un autre client
import-refused-key_taken = cette clé de licence est déjà utilisée sur ce serveur
import-refused-id_on_another_license = l'identifiant de licence { $id } est ici celui d'une autre licence
import-refused-customer_has_product = le client a déjà une licence { $product } (Keyport garde une licence par client et par produit ; ajoutez-lui plutôt des abonnements)
import-refused-email_of_another_customer = { $email } est ici le compte d'un autre client
import-refused-unknown_license = aucune licence { $license } dans le fichier des licences ni ici : importez d'abord les licences
import-refused-floating = les licences flottantes ne sont pas prises en charge
import-refused-consumption = les licences à la consommation ne sont pas prises en charge
import-refused-device_limit = la limite d'appareils de la licence ({ $allowed }) est atteinte ; l'appareil n'a pas été importé
import-refused-seat_limit = Nombre maximal d'utilisateurs de la licence atteint ({ $allowed })
import-refused-duplicate = la même entrée figurait déjà ligne { $line }, avec d'autres valeurs
import-refused-row = { $file }, ligne { $line } : { $reason }
import-file-licenses = fichier des licences
import-file-users = fichier des utilisateurs
import-file-devices = fichier des appareils
import-object-product = Produits
import-object-customer = Clients
import-object-account = Comptes
import-object-license = Licences
import-object-seat = Places
import-object-device = Appareils actifs
import-dry_run = Essai à blanc : rien n'a été écrit. L'import changerait ceci :
import-count = { $object } : { $created } créés, { $unchanged } déjà là
import-count-dry = { $object } : { $created } à créer, { $unchanged } déjà là
import-nothing_changed = Rien n'a changé : tout ce que contiennent ces fichiers est déjà là.
import-unknown_columns = Colonnes ignorées (pas de LicenseSpring) : { $columns }
import-refused =
    { $n ->
        [one] { $n } ligne refusée (le reste a été importé) :
       *[other] { $n } lignes refusées (le reste a été importé) :
    }
import-refused-dry =
    { $n ->
        [one] { $n } ligne serait refusée (le reste serait importé) :
       *[other] { $n } lignes seraient refusées (le reste serait importé) :
    }
import-notified =
    { $n ->
        [one] { $n } invitation à choisir un mot de passe en file : le serveur en marche l'envoie.
       *[other] { $n } invitations à choisir un mot de passe en file : le serveur en marche les envoie.
    }

## Console de l'éditeur : l'import
field-licenses_file = Fichier des licences
field-users_file = Fichier des utilisateurs
field-devices_file = Fichier des appareils
invalid-no_import_file = choisissez au moins un fichier : licences, utilisateurs ou appareils.
invalid-file_too_large = l'envoi dépasse { $mib } Mio ; découpez l'export, ou demandez à votre administrateur d'augmenter --import-max-mib.
invalid-not_utf8 = n'est pas du texte UTF-8 ; enregistrez le fichier en UTF-8 et envoyez-le à nouveau.
thing-import_job = import
imports-nav = Import
imports-title = Importer depuis LicenseSpring
imports-intro = Faites venir vos clients avec leurs clés de licence, leurs utilisateurs et leurs appareils actifs. Les clés et les id de licence de LicenseSpring sont conservés : les apps installées continuent sans réactivation. Importer deux fois les mêmes fichiers ne change rien de ce que le premier import a écrit.
imports-upload = Envoyer un export
imports-upload_hint = Le CSV des licences tel que LicenseSpring l'exporte ; utilisateurs et appareils en lignes JSON (voir le README). Choisissez n'importe lequel des trois : appareils et utilisateurs nomment des licences importées avant.
imports-license_type = Type des licences importées
imports-deactivations = Désactivations permises par licence
imports-dry_run_label = Essai : vérifier chaque ligne et dire ce qui changerait, sans rien écrire
imports-start = Lancer l'import
imports-invitations = E-mails pour choisir un mot de passe
imports-awaiting =
    { $n ->
        [one] { $n } personne importée n'a pas encore de mot de passe ni de lien valable pour le choisir.
       *[other] { $n } personnes importées n'ont pas encore de mot de passe ni de lien valable pour le choisir.
    }
imports-notify = Envoyer les e-mails pour choisir un mot de passe
imports-none = Aucun import pour l'instant.
imports-latest = Derniers imports
imports-by = Par
imports-files = Fichiers
imports-status-queued = En attente de démarrage
imports-status-starting = Lecture des fichiers
imports-status-running = En cours : { $done } lignes sur { $total }
imports-status-checked = Vérifié (essai)
imports-status-done = Terminé
imports-status-failed = Arrêté : la base de données a échoué
imports-job_title = Import
imports-back = Tous les imports
imports-progress = Progression
imports-speed = { $rate } lignes par seconde, environ { $left } s restantes
imports-speed-minutes = { $rate } lignes par seconde, environ { $left } min restantes
imports-resumed = Le serveur s'est arrêté pendant cet import ; il a repris depuis le début de ses fichiers (ce qui était déjà importé compte comme présent).
imports-failed_hint = L'import s'est arrêté car la base de données a échoué. Les lots importés avant restent ; envoyez à nouveau les mêmes fichiers pour le terminer : rien n'est importé deux fois.
imports-report = Rapport
imports-more_refused =
    { $n ->
        [one] …et { $n } autre ligne refusée dans le rapport téléchargé.
       *[other] …et { $n } autres lignes refusées dans le rapport téléchargé.
    }
imports-download = Télécharger le rapport
imports-download_json = en JSON
