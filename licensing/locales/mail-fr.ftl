# Textes des e-mails (licensing::mail) ; voir mail-en.ftl.

mail-greeting = Bonjour { $name },
mail-signature = { $vendor }
mail-footer = Vous recevez cet e-mail en raison de votre licence { $vendor }. Une question ? Répondez à cet e-mail.

mail-credentials-subject = Votre compte sur le portail de licences { $vendor }
mail-credentials-body-manager = Une licence { $product } a été achetée pour { $customer }, et vous la gérez. Sur le portail de licences, vous voyez la licence et ses appareils, réinitialisez des appareils et donnez accès aux personnes de { $customer }, dans la limite des places.
mail-credentials-body-user = Une licence { $product } a été achetée pour vous. Sur le portail de licences, vous voyez la licence et ses appareils, et réinitialisez un appareil quand vous changez d’ordinateur.
mail-credentials-login = Choisissez votre mot de passe ici (le lien fonctionne une fois, pendant 7 jours), puis connectez-vous avec l’identifiant d’entreprise { $company } et votre e-mail { $email } :

mail-receipt-subject = { $count } abonnements { $product } de plus pour { $customer }
mail-receipt-body = { $count } abonnements ont été ajoutés à la licence { $product } de { $customer }. Elle compte maintenant { $seats } places et permet { $devices } appareils. Rien d’autre ne change : connectez-vous comme avant.

mail-invitation-subject = { $manager } vous a donné accès à { $product }
mail-invitation-body = { $manager } de { $customer } vous a créé un compte sur le portail de licences { $vendor }. Choisissez votre mot de passe ici (le lien fonctionne une fois, pendant 7 jours), puis connectez-vous avec l’identifiant d’entreprise { $company } et votre e-mail { $email } :

mail-invitation_refused-subject = Quelqu’un a tenté d’ajouter votre adresse à une licence { $vendor }
mail-invitation_refused-body = Un gestionnaire de licence de { $customer } a tenté d’ajouter { $email } comme utilisateur de sa licence. Votre adresse appartient déjà à un autre compte { $vendor } : rien n’a été modifié. Si vous vous y attendiez, demandez-lui de contacter le support de { $vendor }.

mail-password_reset-subject = Réinitialisez votre mot de passe du portail de licences { $vendor }
mail-password_reset-body = Quelqu’un a demandé à réinitialiser le mot de passe de { $email } (identifiant d’entreprise { $company }). Si c’était vous, choisissez un nouveau mot de passe ici ; le lien fonctionne une fois, pendant une heure. Sinon, ignorez cet e-mail : votre mot de passe reste inchangé.

mail-password_changed-subject = Votre mot de passe du portail de licences { $vendor } a été modifié
mail-password_changed-body = Le mot de passe de { $email } (identifiant d’entreprise { $company }) a été modifié, et toutes les sessions du compte ont été fermées. Si ce n’était pas vous, réinitialisez votre mot de passe maintenant et prévenez le support de { $vendor }.
