# E-Mail-Texte (licensing::mail); siehe mail-en.ftl.

mail-greeting = Hallo { $name },
mail-signature = { $vendor }
mail-footer = Sie erhalten diese E-Mail wegen Ihrer Lizenz von { $vendor }. Fragen? Antworten Sie auf diese E-Mail.

mail-credentials-subject = Ihr Konto im Lizenzportal von { $vendor }
mail-credentials-body-manager = Für { $customer } wurde eine Lizenz für { $product } gekauft, und Sie verwalten sie. Im Lizenzportal sehen Sie die Lizenz und ihre Geräte, setzen Geräte zurück und geben Personen von { $customer } Zugang, bis zur Zahl der Plätze.
mail-credentials-body-user = Für Sie wurde eine Lizenz für { $product } gekauft. Im Lizenzportal sehen Sie die Lizenz und ihre Geräte und setzen ein Gerät zurück, wenn Sie an einen anderen Computer wechseln.
mail-credentials-login = Wählen Sie hier Ihr Passwort (der Link gilt einmal, 7 Tage lang) und melden Sie sich dann mit der Firmen-ID { $company } und Ihrer E-Mail { $email } an:

mail-receipt-subject = { $count } weitere Abonnements für { $product } für { $customer }
mail-receipt-body = Der Lizenz für { $product } von { $customer } wurden { $count } Abonnements hinzugefügt. Sie hat jetzt { $seats } Plätze und erlaubt { $devices } Geräte. Sonst ändert sich nichts: Melden Sie sich wie bisher an.

mail-invitation-subject = { $manager } hat Ihnen Zugang zu { $product } gegeben
mail-invitation-body = { $manager } von { $customer } hat für Sie ein Konto im Lizenzportal von { $vendor } angelegt. Wählen Sie hier Ihr Passwort (der Link gilt einmal, 7 Tage lang) und melden Sie sich dann mit der Firmen-ID { $company } und Ihrer E-Mail { $email } an:

mail-invitation_refused-subject = Jemand wollte Ihre Adresse zu einer Lizenz von { $vendor } hinzufügen
mail-invitation_refused-body = Ein Lizenzverwalter von { $customer } wollte { $email } als Benutzer seiner Lizenz hinzufügen. Ihre Adresse gehört bereits zu einem anderen Konto bei { $vendor }, daher wurde nichts geändert. Falls Sie das erwartet haben, bitten Sie ihn, den Support von { $vendor } zu kontaktieren.

mail-password_reset-subject = Ihr Passwort im Lizenzportal von { $vendor } zurücksetzen
mail-password_reset-body = Jemand hat verlangt, das Passwort von { $email } (Firmen-ID { $company }) zurückzusetzen. Wenn Sie es waren, wählen Sie hier ein neues Passwort; der Link gilt einmal, eine Stunde lang. Wenn nicht, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.

mail-password_changed-subject = Ihr Passwort im Lizenzportal von { $vendor } wurde geändert
mail-password_changed-body = Das Passwort von { $email } (Firmen-ID { $company }) wurde geändert, und alle Sitzungen des Kontos wurden beendet. Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt zurück und informieren Sie den Support von { $vendor }.
