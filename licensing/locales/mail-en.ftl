# Email texts (licensing::mail), one group per MailKind. Variables are plain text; the HTML
# version escapes them. { $vendor } is the software vendor's name, { $portal } the portal's address.

mail-greeting = Hello { $name },
mail-signature = { $vendor }
mail-footer = You receive this email because of your { $vendor } license. Questions? Reply to this email.

mail-credentials-subject = Your { $vendor } license portal account
mail-credentials-body-manager = A { $product } license was bought for { $customer }, and you manage it. In the license portal you see the license and its devices, reset devices, and give people of { $customer } access to it, up to its seats.
mail-credentials-body-user = A { $product } license was bought for you. In the license portal you see the license and its devices, and reset a device when you move to another computer.
mail-credentials-login = Choose your password here (the link works once, within 7 days), then log in with company ID { $company } and your email { $email }:

mail-receipt-subject = { $count } more { $product } subscriptions for { $customer }
mail-receipt-body = { $count } subscriptions were added to the { $product } license of { $customer }. It now has { $seats } seats and allows { $devices } devices. Nothing else changes: log in as before.

mail-invitation-subject = { $manager } gave you access to { $product }
mail-invitation-body = { $manager } of { $customer } created a { $vendor } license portal account for you. Choose your password here (the link works once, within 7 days), then log in with company ID { $company } and your email { $email }:

mail-invitation_refused-subject = Someone tried to add your address to a { $vendor } license
mail-invitation_refused-body = A license manager of { $customer } tried to add { $email } as a user of their license. Your address already belongs to another { $vendor } account, so nothing was changed. If you expected this, ask them to contact { $vendor } support.

mail-password_reset-subject = Reset your { $vendor } license portal password
mail-password_reset-body = Someone asked to reset the password of { $email } (company ID { $company }). If it was you, choose a new password here; the link works once, within one hour. If it was not you, ignore this email: your password stays as it is.

mail-password_changed-subject = Your { $vendor } license portal password was changed
mail-password_changed-body = The password of { $email } (company ID { $company }) was changed, and every session of the account was ended. If you did not do this, reset your password now and tell { $vendor } support.
