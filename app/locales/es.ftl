# Portal Keyport: español. Los mismos mensajes y { $variables } que en.ftl (Fluent).

# Around every page
app-title = Keyport
app-title_page = { $page } · Keyport
app-skip = Saltar al contenido
language-label = Idioma
language-submit = Cambiar
nav-main = Menú principal
nav-brand = Keyport
nav-dashboard = Panel
nav-licenses = Licencias
nav-logout = Cerrar sesión
loading = Cargando…
action-cancel = Cancelar
pager-label = Páginas
pager-newer = Más recientes
pager-older = Más antiguos
pager-previous = Anterior
pager-next = Siguiente
pager-page = Página { $n }
notfound-title = No encontrado
notfound-heading = Página no encontrada
notfound-text = No hay nada en esta dirección. { $link }.
notfound-link = Ir a su panel

# Offline banner
network-offline = Está sin conexión.
network-loaded_at = Se muestra lo cargado a las { $time }.
network-changes_off = Los cambios están desactivados hasta que vuelva la conexión; no se enviará nada más tarde por sorpresa.
network-reason = Sin conexión: vuelva a conectarse para usar esto
offline_page-title = Está sin conexión
offline_page-lead = Ahora mismo no se puede acceder a Keyport, así que esta página no se puede mostrar.
offline_page-retry = Compruebe su conexión. La página vuelve a intentarlo sola cada pocos segundos.
offline_page-again = Reintentar

# Counts
count-deactivation =
    { $n ->
        [one] { $n } desactivación
       *[other] { $n } desactivaciones
    }
count-device =
    { $n ->
        [one] { $n } dispositivo
       *[other] { $n } dispositivos
    }
count-active_device =
    { $n ->
        [one] { $n } dispositivo activo
       *[other] { $n } dispositivos activos
    }
count-license_user =
    { $n ->
        [one] { $n } usuario de licencia
       *[other] { $n } usuarios de licencia
    }
count-subscription =
    { $n ->
        [one] { $n } suscripción
       *[other] { $n } suscripciones
    }
count-minute =
    { $n ->
        [one] { $n } minuto
       *[other] { $n } minutos
    }

# Column headings and field labels used on several pages
label-product = Producto
label-type = Tipo
label-status = Estado
label-valid_from = Válida desde
label-valid_until = Válida hasta
label-seats = Puestos
label-devices = Dispositivos
label-deactivations = Desactivaciones
label-subscriptions = Suscripciones
label-your_role = Su rol
label-name = Nombre
label-email = Correo electrónico
label-actions = Acciones
label-time = Hora
label-who = Quién
label-what = Qué
label-customer = Cliente
label-licenses = Licencias
label-accounts = Cuentas

# Values the services hand over as codes
license_type-personal = Suscripción personal
license_type-organisation = Suscripción de organización
license_type-offline_organisation = Suscripción de organización sin conexión
license_type-experimental = Suscripción experimental
license_status-active = Activa
license_status-suspended = Suspendida
license_status-expired = Caducada
role-manager = Gestor de licencia
role-user = Usuario de licencia

# Log in
login-title = Iniciar sesión
login-lead = Inicie sesión para ver su licencia, sus dispositivos y sus usuarios.
login-logged_out = Ha cerrado la sesión.
login-password_set = Su contraseña está establecida. Inicie sesión con ella ahora.
login-company = ID de empresa
login-email = Correo electrónico
login-password = Contraseña
login-submit = Iniciar sesión
login-hint = Use el mismo correo electrónico y la misma contraseña que en la aplicación de escritorio. Su ID de empresa es el nombre de su proveedor de software.
login-forgot = ¿Olvidó su contraseña?
forgot-title = Restablecer su contraseña
forgot-lead = Introduzca su ID de empresa y el correo con el que inicia sesión. Le enviamos un enlace para elegir una nueva contraseña.
forgot-submit = Enviar enlace
forgot-back = Volver al inicio de sesión
forgot-sent = Si existe una cuenta con ese ID de empresa y ese correo, un enlace para elegir una nueva contraseña va de camino a ese correo. Funciona una vez, durante una hora.

# Dashboard and licenses
dashboard-title = Panel
dashboard-welcome = Bienvenido, { $name }
dashboard-no_role = Ninguna licencia asignada
dashboard-company = Empresa
dashboard-vendor = Proveedor
dashboard-as_manager = Como gestor de licencia puede restablecer cualquier dispositivo de su licencia y elegir quién la usa en su pestaña Usuarios.
dashboard-as_user = Como usuario de licencia puede ver su licencia y restablecer sus propios dispositivos.
dashboard-no_license = Pida a su gestor de licencia que le asigne una licencia.
dashboard-open_console = Abrir la consola del proveedor
dashboard-view_license = Ver su licencia
licenses-title = Licencias
licenses-empty = Todavía no tiene ninguna licencia asignada. Pregunte a su gestor de licencia.
tabs-label = Licencia
tabs-overview = Resumen
tabs-devices = Dispositivos
tabs-users = Usuarios
tabs-activity = Actividad
usage-label = Uso
usage-seats = Puestos ocupados
usage-devices = Dispositivos activos
usage-deactivations = Desactivaciones usadas
usage-meter = { $label }: { $used } de { $allowed }

# Overview tab and Reset license
overview-heading = Licencia
overview-reset_done = Se restableció la licencia: { $devices } desactivado(s) y { $users } retirado(s). Quedan { $left }.
overview-seats = { $used } de { $allowed } ocupados
overview-devices = { $used } de { $allowed } activos
overview-deactivations = { $used } de { $allowed } usadas (quedan { $left })
overview-hint = ¿La licencia está activada en demasiados dispositivos? Restablezca uno en la pestaña { $link }. Cada restablecimiento usa una desactivación; cuando no quede ninguna, contacte con su proveedor para restablecer el límite.
reset_license-heading = Restablecer licencia
reset_license-hint = Empiece de cero cuando la licencia esté en dispositivos o con personas donde ya no debería estar: se retiran a la vez todos los dispositivos y todas las asignaciones de usuarios.
reset_license-open = Restablecer licencia…
reset_license-confirm_title = ¿Restablecer toda la licencia?
reset_license-confirm_text = Esto desactiva los { $devices } de esta licencia y retira a todos los usuarios de licencia; los gestores conservan sus puestos. Todos deben activar de nuevo la aplicación de escritorio. Usa 1 de las { $left } restantes.
reset_license-submit = Restablecer licencia

# Offline activation
offline-heading = Activación sin conexión
offline-hint = Para un ordenador sin conexión a Internet: en la aplicación de escritorio elija la activación sin conexión y guarde el archivo de solicitud de activación, tráigalo aquí y descargue un archivo de licencia para ese ordenador. Copie el archivo de licencia al ordenador y ábralo en la aplicación. Ocupa un puesto de dispositivo, como una activación en línea, y es válido hasta que termine la licencia; restablecer el dispositivo en la pestaña Dispositivos libera el puesto.
offline-file = Archivo de solicitud de activación
offline-paste = O pegue la solicitud
offline-placeholder = { "{" }"format": "keyport-offline-request/1", …{ "}" }
offline-submit = Descargar archivo de licencia

# Devices tab
devices-heading = Dispositivos
devices-hint = Todos los dispositivos en los que está activada la licencia. Restablezca un dispositivo para liberar su puesto cuando la aplicación de escritorio indique que la licencia está en demasiados dispositivos.
devices-done = Se restableció { $name }. Quedan { $left }.
devices-empty = No hay ningún dispositivo activo en esta licencia.
devices-no_match = Ningún dispositivo activo coincide con esta búsqueda.
devices-search_label = Buscar un dispositivo por nombre o ID de hardware
devices-search = Buscar
devices-device = Dispositivo
devices-os = Sistema
devices-activated_by = Activado por
devices-first_activated = Primera activación
devices-last_seen = Última conexión
devices-by_license_key = Clave de licencia
devices-reset = Restablecer
devices-reset_label = Restablecer { $name }
devices-confirm_title = ¿Restablecer { $name }?
devices-confirm_text = Esto desactiva el dispositivo: la aplicación de escritorio debe activarse de nuevo en él. Usa 1 de las { $left } restantes en esta licencia.
devices-submit = Restablecer dispositivo

# Activity tab
activity-heading = Actividad
activity-hint = Cada cambio en esta licencia: quién lo hizo, cuándo y desde qué dirección.
activity-subject = Dispositivo o usuario
activity-ip = Dirección IP

# Users tab
users-heading = Usuarios
users-hint = Las personas que pueden usar esta licencia, un puesto cada una. Los gestores de licencia pueden hacer todo aquí; los usuarios de licencia ven la licencia y restablecen sus propios dispositivos.
users-created = Se creó la cuenta { $email }.
users-created_assigned = Se creó la cuenta { $email } y se le asignó un puesto.
users-invited = Invitación enviada a { $email }.
users-invited_assigned = Invitación enviada a { $email }, con un puesto en esta licencia.
users-invitation_resent = Se envió una nueva invitación a { $email }. El enlace enviado antes ya no funciona.
users-invitation_pending = Invitación pendiente
users-resend = Reenviar invitación
users-resend_label = Reenviar la invitación a { $name }
users-assigned = { $name } es ahora usuario de licencia.
users-unassigned = Se retiró a { $name }; { $devices } desactivado(s) (sin usar ninguna desactivación).
users-now_manager = { $name } es ahora gestor de licencia.
users-now_user = { $name } es ahora usuario de licencia.
users-seats_used = { $used } de { $allowed } puestos ocupados; { $left }.
users-none_left = no queda ninguno
users-some_left = quedan { $n }
users-more_seats = { $link }, o retire a alguien que ya no necesite un puesto.
users-more_seats_link = Cómo comprar suscripciones adicionales
users-role = Rol
users-assigned_since = Asignado desde
users-devices_in_use = Dispositivos en uso
users-last_manager = Último gestor
users-make_manager = Hacer gestor
users-make_user = Hacer usuario de licencia
users-role_label = { $action }: { $name }
users-unassign = Retirar
users-unassign_label = Retirar a { $name }
users-unassign_title = ¿Retirar a { $name }?
users-unassign_text =
    { $n ->
        [one] { $name } pierde el acceso a esta licencia en su próxima solicitud, y el { $n } dispositivo que activó se desactiva. Esto no usa ninguna desactivación.
       *[other] { $name } pierde el acceso a esta licencia en su próxima solicitud, y los { $n } dispositivos que activó se desactivan. Esto no usa ninguna desactivación.
    }
users-unassign_submit = Retirar usuario
users-assign_heading = Asignar usuario de licencia
users-assign_none = Todas las cuentas de su empresa ya tienen un puesto. Cree un usuario abajo para añadir a alguien.
users-account = Cuenta
users-assign_submit = Asignar usuario de licencia
users-create_heading = Crear usuario
users-initial_password = Contraseña inicial
users-password_hint = Al menos 8 caracteres. Déjela vacía para enviar a la persona una invitación por correo para elegir su propia contraseña.
users-assign_seat = Asignar ahora un puesto en esta licencia
users-create_submit = Crear usuario

# Set password and seats help
set_password-title = Establezca su contraseña
set_password-lead = Para { $name } ({ $email }). Iniciará sesión con el ID de empresa «{ $company }».
set_password-new = Nueva contraseña
set_password-confirm = Confirmar contraseña
set_password-submit = Establecer contraseña
seats_help-title = Comprar más puestos
seats_help-heading = Se alcanzó el número máximo de usuarios de licencia
seats_help-intro = Cada suscripción de su licencia aporta un número de puestos, uno por usuario de licencia. Cuando todos los puestos están ocupados, no se puede asignar a nadie más hasta que tenga más.
seats_help-how = Cómo obtener más puestos
seats_help-step1 = Compre suscripciones adicionales del mismo producto a su proveedor de software (amplíe su plan en su sitio web o contacte con su equipo de ventas).
seats_help-step2 = El proveedor las añade a su licencia existente: conserva una sola licencia y crece su número de puestos. No hay que activar nada de nuevo.
seats_help-step3 = De vuelta en la pestaña Usuarios de la licencia, asigne los nuevos usuarios de licencia.
seats_help-free = O libere un puesto: retire a alguien que ya no use el software. Sus dispositivos se desactivan sin usar ninguna desactivación.
seats_help-back = Volver a sus licencias

# Vendor console
admin-title = Consola del proveedor
admin-brand = Keyport · Consola del proveedor
admin-customers = Clientes
admin-audit = Registro de auditoría
admin-search_label = Buscar clientes
admin-search = Buscar
admin-no_customers = Ningún cliente coincide.
admin-since = Desde
admin-create_customer = Crear cliente
admin-customer_name = Nombre del cliente
admin-customer_created = Se creó el cliente.
admin-customer_renamed = Se cambió el nombre del cliente.
admin-no_seat = sin puesto
admin-add_account = Añadir cuenta
admin-customer_log = Registro de auditoría de este cliente
admin-rename = Cambiar nombre
admin-no_licenses = Todavía no hay licencia: venda una abajo.
admin-sell = Vender licencia
admin-sell_first_account = Añada primero la cuenta de la persona que la compró; será su propietaria.
admin-owner = Propietario
admin-subscriptions_bought = Suscripciones compradas
admin-seats_per_subscription = Puestos por suscripción
admin-devices_per_subscription = Dispositivos por suscripción
admin-deactivations_allowed = Desactivaciones permitidas
admin-valid_days = Válida durante (días)
admin-license_created = Se creó la licencia.
admin-subscriptions_added = { $subscriptions } añadida(s).
admin-limits_saved = Se guardaron los límites.
admin-limit_reset = Se restableció el límite de desactivaciones: todas las desactivaciones vuelven a estar disponibles.
admin-license_suspended = Se suspendió la licencia.
admin-license_resumed = Se reanudó la licencia.
admin-license_key = Clave de licencia (solo se muestra ahora; Keyport solo guarda su hash): { $key }
admin-reset_limit = Restablecer límite de desactivaciones
admin-reset_limit_hint = Cuando el cliente ha usado todas las desactivaciones y pide más. El motivo queda en el registro de auditoría.
admin-reason = Motivo
admin-limits = Límites
admin-valid_until_utc = Válida hasta (UTC)
admin-save_limits = Guardar límites
admin-add_subscriptions = Añadir suscripciones
admin-subscriptions_to_add = Suscripciones que añadir
admin-suspend = Suspender licencia
admin-resume = Reanudar licencia
admin-suspend_hint = Una licencia suspendida rechaza la aplicación de escritorio hasta que se reanude.
admin-license_log = Registro de auditoría de esta licencia
admin-who_filter = Quién (nombre o correo)
admin-kind = Tipo
admin-any = Cualquiera
admin-from = Desde
admin-to = Hasta
admin-filter = Filtrar
admin-clear = Borrar
admin-license = Licencia
admin-details = Detalles
admin-system = Sistema

# Vendor console: LicenseSpring SDK page
integrations-nav = Integraciones
integrations-title = Integraciones
integrations-intro = Conecte sus propios sistemas con Keyport: una tienda web vende y consulta licencias mediante la API de gestión con una clave creada aquí.
integrations-keys = Claves de la API de gestión
integrations-keys_hint = Una clave actúa solo para su empresa y se muestra una vez, al crearla. Sus cambios aparecen en el registro como «API key» y su nombre. La API se describe en /api/v1/manage/openapi.json.
integrations-key_name = Nombre
integrations-create_key = Crear clave
integrations-created = Se creó la clave { $name }.
integrations-new_key = Copie la clave ahora; no se volverá a mostrar: { $key } Envíela como «Authorization: Bearer» en cada solicitud.
integrations-revoked_note = La clave se revocó. Las solicitudes con ella se rechazan desde ahora.
integrations-no_keys = Todavía no hay claves.
integrations-prefix = La clave empieza por
integrations-created_at = Creada
integrations-created_by = Creada por
integrations-last_used = Último uso
integrations-status = Estado
integrations-never = Nunca
integrations-revoke = Revocar
integrations-revoked = Revocada el
webhooks-title = Webhooks
webhooks-hint = Keyport envía los eventos de su empresa a estas direcciones en cuanto ocurren, en JSON firmado con el secreto del endpoint (cabecera Keyport-Signature; el README explica cómo comprobarla). Una entrega fallida se reintenta durante un día; se mantiene el orden de los eventos de cada licencia.
webhooks-url = Dirección del endpoint
webhooks-events = Eventos
webhooks-add = Añadir endpoint
webhooks-created = Se añadió el endpoint { $url }.
webhooks-new_secret = Copie ahora su secreto de firma; no se volverá a mostrar: { $secret }
webhooks-deleted = Se eliminó el endpoint. No se le enviará nada más.
webhooks-redelivered = La entrega se volvió a poner en cola.
webhooks-none = Todavía no hay endpoints de webhook.
webhooks-delete = Eliminar
webhooks-deliveries = Entregas recientes
webhooks-no_deliveries = Todavía no se ha enviado nada.
webhooks-event = Evento
webhooks-attempts = Intentos
webhooks-redeliver = Reenviar
webhooks-status-delivered = Entregada
webhooks-status-failed = Abandonada
webhooks-status-waiting = En espera
webhooks-status-retrying = Reintentando
licensespring-nav = SDK de LicenseSpring
licensespring-title = SDK de LicenseSpring
licensespring-intro = Las aplicaciones creadas con el SDK de LicenseSpring se activan en Keyport con estos ajustes: páselos a la Configuration del SDK, y la clave pública a una subclase de SignatureVerifier (vea «Migrating from LicenseSpring» en el README).
licensespring-configuration = Configuración
licensespring-reveal = Mostrar
licensespring-hide = Ocultar
licensespring-no_products = Aún no hay productos: venda primero una licencia.
licensespring-public_key = Clave pública
licensespring-public_key_hint = Keyport firma sus respuestas con esta clave RSA; el SignatureVerifier.PUBLIC_KEY de la aplicación la contiene, para que solo acepte respuestas de este servidor.
licensespring-public_key_pem = Clave pública (PEM)
licensespring-copy = Copiar
licensespring-copied = Copiada.
licensespring-rotate = Renovar la clave compartida
licensespring-rotate_hint = Para una clave compartida que se ha filtrado. La clave de API y la clave pública se mantienen.
licensespring-rotate_confirm_title = ¿Renovar la clave compartida?
licensespring-rotate_confirm_text = La clave compartida actual deja de funcionar de inmediato: toda aplicación creada con ella se rechaza hasta que se vuelva a crear con la nueva.
licensespring-rotate_submit = Renovar ahora
licensespring-rotated = Se renovó la clave compartida. Las aplicaciones creadas con la anterior se rechazan hasta que se vuelvan a crear con la nueva.

# Audit log: kinds and actions
audit-kind-device = Dispositivos
audit-kind-license = Licencias
audit-kind-user = Usuarios
audit-kind-customer = Clientes
audit-kind-signing_key = Claves de firma
audit-action-device-activated = Dispositivo activado
audit-action-device-reactivated = Dispositivo activado de nuevo (nuevo token)
audit-action-device-activated_offline = Dispositivo activado sin conexión (archivo de licencia emitido)
audit-action-device-reactivated_offline = Archivo de licencia sin conexión emitido de nuevo
audit-action-device-deactivated_by_app = Dispositivo desactivado por la aplicación
audit-action-device-reset = Dispositivo restablecido
audit-action-device-removed_by_vendor = Dispositivo retirado por el proveedor
audit-action-device-limit_refused = Activación rechazada: demasiados dispositivos
audit-action-license-reset = Licencia restablecida
audit-action-license-created = Licencia creada
audit-action-license-key_issued = Clave de licencia emitida
audit-action-signing_key-created = Clave de firma creada
audit-action-signing_key-licensespring_created = Claves de la API de LicenseSpring creadas
audit-action-signing_key-licensespring_rotated = Clave compartida de LicenseSpring renovada
audit-action-signing_key-api_key_created = Clave de API de gestión creada
audit-action-signing_key-api_key_revoked = Clave de API de gestión revocada
audit-action-tenant-webhook_redelivered = Entrega de webhook enviada de nuevo
audit-action-tenant-webhook_deleted = Endpoint de webhook eliminado
audit-action-tenant-webhook_created = Endpoint de webhook registrado
audit-action-license-subscriptions_added = Suscripciones añadidas
audit-action-customer-created = Cliente creado
audit-action-customer-renamed = Cliente renombrado
audit-action-tenant-created = Proveedor creado
audit-action-tenant-mail_settings_changed = Ajustes de correo cambiados
audit-action-license-deactivation_limit_reset = Límite de desactivaciones restablecido por el proveedor
audit-action-license-limits_changed = Límites cambiados por el proveedor
audit-action-license-suspended = Licencia suspendida
audit-action-license-resumed = Licencia reanudada
audit-action-user-created = Usuario creado
audit-action-user-assigned = Usuario asignado
audit-action-user-unassigned = Usuario retirado
audit-action-user-role_changed = Rol cambiado
audit-action-user-password_set = Contraseña establecida
audit-kind-tenant = Proveedor
audit-subject-account_assigned = { $person }, con un puesto
audit-subject-unassigned = { $person }; { $devices } desactivado(s)
audit-subject-role_changed = { $person }: { $role }
audit-subject-license_sold = { $type } para { $email }
audit-subject-license_key = Clave de licencia (nunca se muestra en el registro)
audit-action-customer-imported = Cliente importado
audit-action-user-imported = Usuario importado
audit-action-user-seat_imported = Puesto importado
audit-action-license-imported = Licencia importada (clave conservada)
audit-action-device-imported = Dispositivo activo importado
audit-subject-imported = { $name } (archivo de importación, línea { $line })
audit-subject-mail_settings = idioma predeterminado { $language }, dirección de soporte { $support }
audit-subject-subscriptions_added = { $subscriptions } más
audit-subject-license_reset = { $devices } desactivado(s); { $users } retirado(s)
audit-subject-deactivation_limit_reset = { $used } usada(s) antes; motivo: { $reason }
audit-subject-limits = Puestos { $seats }, dispositivos { $devices }, desactivaciones { $deactivations }, válida hasta { $until }
audit-subject-tenant = { $name }, administrador del proveedor { $email }

# Errors (licensing::AppError)
error-unauthenticated = Inicie sesión para continuar.
error-invalid_credentials = El ID de empresa, el correo electrónico o la contraseña no son correctos.
error-forbidden = No tiene permiso para hacer eso.
error-not_found = { $what }: no se encontró, o no tiene acceso.
error-invalid = { $field }: { $message }
error-too_many_devices = Esta licencia está activada en demasiados dispositivos (el límite es { $allowed }). Restablezca un dispositivo en la pestaña Dispositivos de la licencia para liberar un puesto.
error-deactivation_limit_reached = Se alcanzó el límite de desactivaciones: se usaron los { $allowed } restablecimientos de dispositivo de esta licencia. Contacte con su proveedor para restablecer el límite.
error-seat_limit_reached = Se alcanzó el número máximo de usuarios de licencia ({ $allowed } puestos). Compre suscripciones adicionales para asignar más usuarios.
error-no_license = No hay ninguna licencia asignada a esta cuenta. Pida a su gestor de licencia que le asigne una licencia.
error-license_inactive = Esta licencia está caducada o suspendida. Contacte con su proveedor para renovarla.
error-device_deactivated = Este dispositivo fue desactivado. Actívelo de nuevo para usar el software en él.
error-too_many_attempts = Demasiados intentos fallidos. Inténtelo de nuevo dentro de { $minutes }.
error-unavailable = Keyport no está disponible temporalmente. Inténtelo de nuevo en un momento.
error-busy = Keyport está ocupado en este momento. Inténtelo de nuevo en un momento.
error-offline = No se pudo conectar con el servidor. Compruebe su conexión e inténtelo de nuevo.
error-internal = Algo salió mal por nuestra parte. Inténtelo de nuevo; si sigue ocurriendo, contacte con su proveedor.

# What was not found (licensing::Thing)
thing-account = Cuenta
thing-company = Empresa
thing-customer = Cliente
thing-device = Dispositivo
thing-license = Licencia
thing-message = correo
thing-api_key = clave de API
thing-webhook_delivery = entrega de webhook
thing-webhook_endpoint = endpoint de webhook
thing-record = Registro
thing-user = Usuario

# Field names of invalid input (licensing::Field); the API's and the CLI's names stay as they are
field-company_id = ID de empresa
field-email = Correo electrónico
field-password = Contraseña
field-confirm_password = Confirmar contraseña
field-name = Nombre
field-kind = Tipo
field-subscriptions = Suscripciones
field-seats = Puestos
field-devices = Dispositivos
field-deactivations = Desactivaciones
field-valid_until = Válida hasta
field-valid_for = Válida durante
field-language = Idioma
field-support_email = Dirección de soporte
field-owner = Propietario
field-product = Producto
field-reason = Motivo
field-link = Enlace
field-customer = Cliente
field-type = Tipo
field-role = Rol
field-activation_request = Solicitud de activación
field-form = Formulario

# Why input was refused (licensing::InvalidReason); shown after the field's name
invalid-required = es obligatorio.
invalid-required_for_audit = es obligatorio: indique por qué se levanta el límite (queda en el registro de auditoría).
invalid-too_long = debe tener como máximo { $max } caracteres.
invalid-at_least = debe ser al menos { $min }.
invalid-at_most = debe ser como máximo { $max }.
invalid-not_negative = no debe ser negativo.
invalid-contains_nul = no debe contener un carácter NUL.
invalid-line_break = debe estar en una sola línea.
invalid-common_password = es una de las contraseñas más comunes, que los atacantes prueban primero. Elija otra.
invalid-password_mismatch = no coincide con la contraseña.
invalid-email_format = introduzca una dirección como name@example.com.
invalid-company_id_format = use de 1 a 64 letras, dígitos, '-' o '_'.
invalid-date_format = introduzca una fecha como 2027-12-31.
invalid-unknown_kind = no es un tipo de evento.
invalid-unknown_role = debe ser gestor o usuario.
invalid-unknown_language = debe ser uno de los idiomas del portal: English, Deutsch, Français o Español.
invalid-no_license_type = elija un tipo de licencia.
invalid-after_start = debe ser posterior a la fecha de inicio.
invalid-no_later_than_days = debe ser como máximo dentro de { $days } días.
invalid-not_of_customer = debe ser una cuenta de este cliente.
invalid-customer_mismatch = las cuentas de cliente necesitan un cliente; el personal del proveedor, ninguno.
invalid-would_exceed = la licencia superaría { $max }; añada menos suscripciones.
invalid-personal_one_user = una licencia personal tiene exactamente un usuario.
invalid-below_seats_in_use = { $used } están en uso; retire usuarios antes de bajarlo por debajo de eso.
invalid-below_devices_active = { $active } están activos; restablezca dispositivos antes de bajarlo por debajo de eso.
invalid-below_deactivations_used = { $used } están usadas; restablezca el límite de desactivaciones antes de bajarlo por debajo de eso.
invalid-link_unusable = es desconocido, ya se usó o caducó. Pida uno nuevo a su gestor de licencia.
invalid-request_missing = elija el archivo de solicitud que escribió la aplicación de escritorio, o pegue su contenido.
invalid-request_too_large = el archivo ocupa más de { $kib } KiB; elija el archivo de solicitud que escribió la aplicación de escritorio.
invalid-request_unreadable = esto no es una solicitud de activación de Keyport ({ $detail }).
invalid-other_license = esta solicitud es para otra licencia.
invalid-form_unsent = envíe el formulario con el archivo de solicitud o su contenido pegado.
invalid-form_unreadable = no se pudo leer el formulario; inténtelo de nuevo.
invalid-too_short = debe tener al menos { $min } caracteres.
invalid-required_for_new_owner = es obligatorio cuando el propietario aún no tiene cuenta.
invalid-key_or_login = es obligatorio, o la empresa, el correo y la contraseña.
invalid-key_with_login = no se puede combinar con la empresa, el correo y la contraseña: envíe uno u otro.
invalid-other_customer = esa cuenta pertenece a otro cliente.
invalid-no_vendor_admin = no hay ningún administrador del proveedor con ese correo en ese ID de empresa.
invalid-not_vendor_admin = esa cuenta no es administrador del proveedor del inquilino.
invalid-request_not_json = esto no es una solicitud de activación de Keyport (no es JSON: { $detail }).
invalid-request_no_format = esto no es una solicitud de activación de Keyport (sin "format": "{ $expected }").
invalid-format_unsupported = «{ $given }» no es compatible; este portal lee «{ $expected }».
invalid-not_json_object = debe ser un objeto JSON.
invalid-not_json = no es JSON válido.
invalid-unknown_field = no es un campo conocido.
invalid-not_valid = no es válido: { $detail }.
invalid-unreadable = no se pudo leer.
invalid-stdin_unreadable = no se pudo leer de la entrada estándar.
invalid-malformed = { $detail }

# Conflicts (licensing::ConflictReason)
conflict-already_exists = Eso ya existe.
conflict-company_taken = El ID de empresa { $company } ya está ocupado.
conflict-email_taken = Ya existe una cuenta con el correo { $email }. Asígnela en lugar de crearla de nuevo.
conflict-personal_has_no_users = Una licencia personal tiene exactamente un usuario; no hay usuarios que gestionar.
conflict-license_changed = La licencia cambió mientras se creaba la cuenta. Inténtelo de nuevo.
conflict-already_assigned = Esa persona ya es usuaria de esta licencia.
conflict-last_manager = Una licencia necesita al menos un gestor de licencia. Haga gestor primero a otra persona.
conflict-nothing_to_reset = No hay nada que restablecer: no hay ningún dispositivo activo ni ningún usuario de licencia asignado.
conflict-invitation_used = Esta persona ya eligió una contraseña, así que no hay invitación que reenviar. Si la olvidó, puede usar «¿Olvidó su contraseña?» en la página de inicio de sesión.
conflict-device_already_reset = El dispositivo «{ $name }» ya se restableció.
conflict-already_manager = { $name } ya es gestor de licencia.
conflict-already_user = { $name } ya es usuario de licencia.
conflict-already_suspended = La licencia ya está suspendida.
conflict-already_active = La licencia ya está activa.
conflict-other_license_type = La licencia del cliente para { $product } es de otro tipo ({ $type }); cambie su tipo en lugar de comprar otra clase.
conflict-offline_only = La activación sin conexión es solo para licencias de Organización sin conexión, y esta es de otro tipo ({ $type }). Active la aplicación de escritorio en línea.
conflict-order_reused = El pedido { $order } ya se realizó con otro contenido. Envíe un nuevo id de pedido para un pedido nuevo.
conflict-order_in_progress = Otra solicitud está realizando el pedido { $order }. Vuelva a enviarlo en un momento para obtener su respuesta.
conflict-owner_of_other_customer = { $email } ya tiene una cuenta de otro cliente. Use otro correo para el titular de este cliente.

# Seats an account holds, in the vendor console
seat-manager_of = Gestor de licencia de { $product }
seat-user_of = Usuario de licencia de { $product }

outbox-nav = Correo
outbox-title = Correo
outbox-intro = Cada correo que Keyport escribió para sus clientes, del más reciente al más antiguo. Sin servidor SMTP (--smtp-url) los mensajes esperan aquí, para que vea exactamente lo que se enviaría.
outbox-settings = Ajustes de correo
outbox-default_language = Idioma del correo para quien no eligió ninguno
outbox-support_email = Dirección de soporte (las respuestas llegan aquí)
outbox-support_hint = Deje vacía la dirección de soporte para que las respuestas vayan a la dirección del remitente (--mail-from). Los demás reciben el correo en el idioma que usaron por última vez en el portal.
outbox-settings_save = Guardar ajustes de correo
outbox-settings_saved = Se guardaron los ajustes de correo.
outbox-empty = Todavía no hay correo.
outbox-to = Para
outbox-subject = Asunto
outbox-kind = Tipo
outbox-status = Estado
outbox-pages = Páginas de correo
outbox-newer = Más recientes
outbox-older = Más antiguos
outbox-text = Texto
outbox-last_error = Último error
outbox-status-waiting = Esperando el envío
outbox-status-retrying = Aún no entregado; se reintentará
outbox-status-sent = Enviado
outbox-status-failed = No entregado (abandonado)
outbox-kind-credentials = Credenciales tras una compra
outbox-kind-receipt = Recibo de nuevas suscripciones
outbox-kind-invitation = Invitación
outbox-kind-invitation_refused = Invitación rechazada
outbox-kind-password_reset = Restablecer la contraseña
outbox-kind-password_changed = Contraseña cambiada

## Importaciones (keyport import licensespring): el informe
import-refused-unreadable = no se puede leer la fila ({ $detail })
import-refused-missing = falta { $field }
import-refused-bad_value = { $field } «{ $value }» no es { $expected }
import-expected-whole_number = un número entero de 0 a { $max }
import-expected-true_or_false = true o false
import-expected-license_type = perpetual, time-limited o subscription
import-expected-license_id = un id de licencia de LicenseSpring (un número entero)
import-expected-email = una dirección de correo
import-expected-date_or_time = una fecha (2024-09-27) o una hora (2024-09-27T23:30:48Z)
import-expected-plain_text = texto sin caracteres de control
import-expected-at_most = un texto de { $chars } caracteres como máximo
import-expected-free_product_code = un código corto que no dé nombre a otro producto
import-refused-key_on_another_customer = esta clave de licencia es aquí la licencia de otro cliente
import-refused-key_taken = esta clave de licencia ya se usa en este servidor
import-refused-id_on_another_license = el id de licencia { $id } es aquí de otra licencia
import-refused-customer_has_product = el cliente ya tiene una licencia de { $product } (Keyport guarda una licencia por cliente y producto; añádale suscripciones)
import-refused-email_of_another_customer = { $email } es aquí una cuenta de otro cliente
import-refused-unknown_license = no hay ninguna licencia { $license } en el archivo de licencias ni aquí: importe primero las licencias
import-refused-floating = las licencias flotantes no se admiten
import-refused-consumption = las licencias de consumo no se admiten
import-refused-device_limit = se alcanzó el límite de dispositivos de la licencia ({ $allowed }); el dispositivo no se importó
import-refused-seat_limit = Se alcanzó el número máximo de usuarios de la licencia ({ $allowed })
import-refused-duplicate = la misma entrada apareció antes, en la línea { $line }, con otros valores
import-refused-row = { $file }, línea { $line }: { $reason }
import-file-licenses = archivo de licencias
import-file-users = archivo de usuarios
import-file-devices = archivo de dispositivos
import-object-product = Productos
import-object-customer = Clientes
import-object-account = Cuentas
import-object-license = Licencias
import-object-seat = Puestos
import-object-device = Dispositivos activos
import-dry_run = Simulación: no se escribió nada. La importación cambiaría esto:
import-count = { $object }: { $created } creados, { $unchanged } ya estaban
import-count-dry = { $object }: { $created } por crear, { $unchanged } ya estaban
import-nothing_changed = Nada cambió: todo lo de estos archivos ya está aquí.
import-unknown_columns = Columnas ignoradas (no son de LicenseSpring): { $columns }
import-refused =
    { $n ->
        [one] { $n } fila rechazada (el resto se importó):
       *[other] { $n } filas rechazadas (el resto se importó):
    }
import-refused-dry =
    { $n ->
        [one] se rechazaría { $n } fila (el resto se importaría):
       *[other] se rechazarían { $n } filas (el resto se importaría):
    }
import-notified =
    { $n ->
        [one] { $n } invitación para elegir contraseña en cola: el servidor en marcha la envía.
       *[other] { $n } invitaciones para elegir contraseña en cola: el servidor en marcha las envía.
    }

## Consola del proveedor: la importación
field-licenses_file = Archivo de licencias
field-users_file = Archivo de usuarios
field-devices_file = Archivo de dispositivos
invalid-no_import_file = elija al menos un archivo: licencias, usuarios o dispositivos.
invalid-file_too_large = la subida supera los { $mib } MiB; divida la exportación o pida a su administrador que aumente --import-max-mib.
invalid-not_utf8 = no es texto UTF-8; guarde el archivo como UTF-8 y súbalo de nuevo.
thing-import_job = importación
imports-nav = Importar
imports-title = Importar desde LicenseSpring
imports-intro = Traiga a sus clientes con sus claves de licencia, usuarios y dispositivos activos. Las claves y los id de licencia de LicenseSpring se conservan, así que las apps instaladas siguen funcionando sin reactivar. Importar los mismos archivos dos veces no cambia nada de lo que escribió la primera.
imports-upload = Subir una exportación
imports-upload_hint = El CSV de licencias tal como lo exporta LicenseSpring; usuarios y dispositivos como líneas JSON (vea el README). Elija cualquiera de los tres: dispositivos y usuarios nombran licencias importadas antes.
imports-license_type = Tipo de las licencias importadas
imports-deactivations = Desactivaciones permitidas por licencia
imports-dry_run_label = Prueba: comprobar cada fila e informar de lo que cambiaría, sin escribir nada
imports-start = Iniciar la importación
imports-invitations = Correos para elegir contraseña
imports-awaiting =
    { $n ->
        [one] { $n } persona importada aún no tiene contraseña ni un enlace válido para elegirla.
       *[other] { $n } personas importadas aún no tienen contraseña ni un enlace válido para elegirla.
    }
imports-notify = Enviar correos para elegir contraseña
imports-none = Aún no hay importaciones.
imports-latest = Últimas importaciones
imports-by = Por
imports-files = Archivos
imports-status-queued = Esperando para empezar
imports-status-starting = Leyendo los archivos
imports-status-running = En curso: { $done } de { $total } filas
imports-status-checked = Comprobada (prueba)
imports-status-done = Terminada
imports-status-failed = Detenida: falló la base de datos
imports-job_title = Importación
imports-back = Todas las importaciones
imports-progress = Progreso
imports-speed = { $rate } filas por segundo, quedan unos { $left } s
imports-speed-minutes = { $rate } filas por segundo, quedan unos { $left } min
imports-resumed = El servidor se detuvo mientras esta importación estaba en curso; se reanudó desde el principio de sus archivos (lo importado antes cuenta como ya presente).
imports-failed_hint = La importación se detuvo porque falló la base de datos. Los lotes importados antes se quedan; suba los mismos archivos de nuevo para terminarla: nada se importa dos veces.
imports-report = Informe
imports-more_refused =
    { $n ->
        [one] …y { $n } fila rechazada más en el informe descargado.
       *[other] …y { $n } filas rechazadas más en el informe descargado.
    }
imports-download = Descargar el informe
imports-download_json = como JSON
