# Textos de los correos (licensing::mail); véase mail-en.ftl.

mail-greeting = Hola, { $name }:
mail-signature = { $vendor }
mail-footer = Recibe este correo por su licencia de { $vendor }. ¿Preguntas? Responda a este correo.

mail-credentials-subject = Su cuenta en el portal de licencias de { $vendor }
mail-credentials-body-manager = Se compró una licencia de { $product } para { $customer }, y usted la gestiona. En el portal de licencias ve la licencia y sus dispositivos, restablece dispositivos y da acceso a personas de { $customer }, hasta el número de puestos.
mail-credentials-body-user = Se compró una licencia de { $product } para usted. En el portal de licencias ve la licencia y sus dispositivos, y restablece un dispositivo cuando cambia de ordenador.
mail-credentials-login = Elija aquí su contraseña (el enlace funciona una vez, durante 7 días) y luego inicie sesión con el ID de empresa { $company } y su correo { $email }:

mail-receipt-subject = { $count } suscripciones más de { $product } para { $customer }
mail-receipt-body = Se añadieron { $count } suscripciones a la licencia de { $product } de { $customer }. Ahora tiene { $seats } puestos y permite { $devices } dispositivos. Nada más cambia: inicie sesión como antes.

mail-invitation-subject = { $manager } le dio acceso a { $product }
mail-invitation-body = { $manager } de { $customer } le creó una cuenta en el portal de licencias de { $vendor }. Elija aquí su contraseña (el enlace funciona una vez, durante 7 días) y luego inicie sesión con el ID de empresa { $company } y su correo { $email }:

mail-invitation_refused-subject = Alguien intentó añadir su dirección a una licencia de { $vendor }
mail-invitation_refused-body = Un gestor de licencias de { $customer } intentó añadir { $email } como usuario de su licencia. Su dirección ya pertenece a otra cuenta de { $vendor }, así que no se cambió nada. Si lo esperaba, pídale que contacte con el soporte de { $vendor }.

mail-password_reset-subject = Restablezca su contraseña del portal de licencias de { $vendor }
mail-password_reset-body = Alguien pidió restablecer la contraseña de { $email } (ID de empresa { $company }). Si fue usted, elija aquí una nueva contraseña; el enlace funciona una vez, durante una hora. Si no, ignore este correo: su contraseña no cambia.

mail-password_changed-subject = Se cambió su contraseña del portal de licencias de { $vendor }
mail-password_changed-body = Se cambió la contraseña de { $email } (ID de empresa { $company }) y se cerraron todas las sesiones de la cuenta. Si no fue usted, restablezca su contraseña ahora e informe al soporte de { $vendor }.
