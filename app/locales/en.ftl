# Keyport portal: English, in Fluent syntax (https://projectfluent.org/fluent/guide/). The reference
# catalog: every other language has exactly these messages, with the same { $variables } (the
# catalog tests in app/src/i18n/mod.rs parse all four with fluent-bundle's parser and compare).
# A count is a message selecting on { $n }: [one] and *[other], as each language's CLDR rules say.
# Messages starting with `thing-`, `field-`, `invalid-` and `conflict-` say licensing's typed errors
# (app/src/error_text.rs); the device API and the admin command answer in these English words.

# Around every page
app-title = Keyport
app-title_page = { $page } · Keyport
app-skip = Skip to content
language-label = Language
language-submit = Change
nav-main = Main
nav-brand = Keyport
nav-dashboard = Dashboard
nav-licenses = Licenses
nav-logout = Log out
loading = Loading…
action-cancel = Cancel
pager-label = Pages
pager-newer = Newer
pager-older = Older
pager-previous = Previous
pager-next = Next
pager-page = Page { $n }
notfound-title = Not found
notfound-heading = Page not found
notfound-text = There is nothing at this address. { $link }.
notfound-link = Go to your dashboard

# Offline banner
network-offline = You are offline.
network-loaded_at = Showing what was loaded at { $time }.
network-changes_off = Changes are turned off until the connection is back; nothing is sent later by surprise.
network-reason = Offline: reconnect to use this
offline_page-title = You are offline
offline_page-lead = Keyport cannot be reached right now, so this page cannot be shown.
offline_page-retry = Check your connection. The page tries again by itself every few seconds.
offline_page-again = Try again

# Counts
count-deactivation =
    { $n ->
        [one] { $n } deactivation
       *[other] { $n } deactivations
    }
count-device =
    { $n ->
        [one] { $n } device
       *[other] { $n } devices
    }
count-active_device =
    { $n ->
        [one] { $n } active device
       *[other] { $n } active devices
    }
count-license_user =
    { $n ->
        [one] { $n } license user
       *[other] { $n } license users
    }
count-subscription =
    { $n ->
        [one] { $n } subscription
       *[other] { $n } subscriptions
    }
count-minute =
    { $n ->
        [one] { $n } minute
       *[other] { $n } minutes
    }

# Column headings and field labels used on several pages
label-product = Product
label-type = Type
label-status = Status
label-valid_from = Valid from
label-valid_until = Valid until
label-seats = Seats
label-devices = Devices
label-deactivations = Deactivations
label-subscriptions = Subscriptions
label-your_role = Your role
label-name = Name
label-email = Email
label-actions = Actions
label-time = Time
label-who = Who
label-what = What
label-customer = Customer
label-licenses = Licenses
label-accounts = Accounts

# Values the services hand over as codes
license_type-personal = Personal subscription
license_type-organisation = Organisation subscription
license_type-offline_organisation = Offline Organisation subscription
license_type-experimental = Experimental subscription
license_status-active = Active
license_status-suspended = Suspended
license_status-expired = Expired
role-manager = License manager
role-user = License user

# Log in
login-title = Log in
login-lead = Sign in to see your license, its devices and its users.
login-logged_out = You have been logged out.
login-password_set = Your password is set. Log in with it now.
login-company = Company ID
login-email = Email
login-password = Password
login-submit = Log in
login-hint = Use the same email and password as in the desktop app. Your company ID is the name of your software vendor.
login-forgot = Forgot your password?
forgot-title = Reset your password
forgot-lead = Enter your company ID and the email you log in with. We email you a link to choose a new password.
forgot-submit = Send reset link
forgot-back = Back to login
forgot-sent = If an account with that company ID and email exists, a link to choose a new password is on its way to that email. It works once, within one hour.

# Dashboard and licenses
dashboard-title = Dashboard
dashboard-welcome = Welcome, { $name }
dashboard-no_role = No license assigned
dashboard-company = Company
dashboard-vendor = Vendor
dashboard-as_manager = As a license manager you can reset any device of your license and choose who uses it on its Users tab.
dashboard-as_user = As a license user you can see your license and reset your own devices.
dashboard-no_license = Ask your license manager to assign you to a license.
dashboard-open_console = Open the vendor console
dashboard-view_license = View your license
licenses-title = Licenses
licenses-empty = No license is assigned to you yet. Ask your license manager.
tabs-label = License
tabs-overview = Overview
tabs-devices = Devices
tabs-users = Users
tabs-activity = Activity
usage-label = Usage
usage-seats = Seats used
usage-devices = Devices active
usage-deactivations = Deactivations used
usage-meter = { $label }: { $used } of { $allowed }

# Overview tab and Reset license
overview-heading = License
overview-reset_done = The license was reset: { $devices } deactivated and { $users } unassigned. { $left } left.
overview-seats = { $used } of { $allowed } used
overview-devices = { $used } of { $allowed } active
overview-deactivations = { $used } of { $allowed } used ({ $left } left)
overview-hint = The license is activated on too many devices? Reset one on the { $link } tab. Each reset uses one deactivation; when none are left, contact your vendor to reset the limit.
reset_license-heading = Reset license
reset_license-hint = Start over when the license is on devices or with people it should no longer be: every device and every user assignment is removed at once.
reset_license-open = Reset license…
reset_license-confirm_title = Reset the whole license?
reset_license-confirm_text = This deactivates all { $devices } on this license and unassigns every license user; license managers keep their seats. Everyone must activate the desktop app again. It uses 1 of the { $left } left.
reset_license-submit = Reset license

# Offline activation
offline-heading = Offline activation
offline-hint = For a computer without an internet connection: in the desktop app choose offline activation and save the activation request file, bring it here, and download a license file for that computer. Copy the license file to the computer and open it in the app. It takes one device slot, like an online activation, and is valid until the license ends; resetting the device on the Devices tab frees the slot.
offline-file = Activation request file
offline-paste = Or paste the request
offline-placeholder = { "{" }"format": "keyport-offline-request/1", …{ "}" }
offline-submit = Download license file

# Devices tab
devices-heading = Devices
devices-hint = Every device the license is activated on. Reset a device to free its slot when the desktop app says the license is on too many devices.
devices-done = { $name } was reset. { $left } left.
devices-empty = No device is active on this license.
devices-no_match = No active device matches this search.
devices-search_label = Find a device by name or hardware ID
devices-search = Search
devices-device = Device
devices-os = OS
devices-activated_by = Activated by
devices-first_activated = First activated
devices-last_seen = Last seen
devices-by_license_key = License key
devices-reset = Reset
devices-reset_label = Reset { $name }
devices-confirm_title = Reset { $name }?
devices-confirm_text = This deactivates the device: the desktop app on it must be activated again. It uses 1 of the { $left } left on this license.
devices-submit = Reset device

# Activity tab
activity-heading = Activity
activity-hint = Every change to this license: who did it, when, and from which address.
activity-subject = Device or user
activity-ip = IP address

# Users tab
users-heading = Users
users-hint = The people who may use this license, one seat each. License managers can do everything here; license users see the license and reset their own devices.
users-created = The account { $email } was created.
users-created_assigned = The account { $email } was created and assigned a seat.
users-invited = Invitation sent to { $email }.
users-invited_assigned = Invitation sent to { $email }, with a seat on this license.
users-invitation_resent = A new invitation was sent to { $email }. The link sent before no longer works.
users-invitation_pending = Invitation pending
users-resend = Resend invitation
users-resend_label = Resend the invitation to { $name }
users-assigned = { $name } is now a license user.
users-unassigned = { $name } was unassigned; { $devices } deactivated (no deactivation used).
users-now_manager = { $name } is now a license manager.
users-now_user = { $name } is now a license user.
users-seats_used = { $used } of { $allowed } seats used; { $left }.
users-none_left = none left
users-some_left = { $n } left
users-more_seats = { $link } — or unassign someone who no longer needs a seat.
users-more_seats_link = How to buy additional subscriptions
users-role = Role
users-assigned_since = Assigned since
users-devices_in_use = Devices in use
users-last_manager = Last manager
users-make_manager = Make manager
users-make_user = Make license user
users-role_label = { $action }: { $name }
users-unassign = Unassign
users-unassign_label = Unassign { $name }
users-unassign_title = Unassign { $name }?
users-unassign_text =
    { $n ->
        [one] { $name } loses access to this license at their next request, and the { $n } device they activated is deactivated. This does not use a deactivation.
       *[other] { $name } loses access to this license at their next request, and the { $n } devices they activated are deactivated. This does not use a deactivation.
    }
users-unassign_submit = Unassign user
users-assign_heading = Assign license user
users-assign_none = Every account of your company already has a seat. Create a user below to add someone.
users-account = Account
users-assign_submit = Assign license user
users-create_heading = Create user
users-initial_password = Initial password
users-password_hint = At least 8 characters. Leave it empty to email the person an invitation to choose their own password.
users-assign_seat = Assign a seat on this license now
users-create_submit = Create user

# Set password and seats help
set_password-title = Set your password
set_password-lead = For { $name } ({ $email }). You will log in with company ID “{ $company }”.
set_password-new = New password
set_password-confirm = Confirm password
set_password-submit = Set password
seats_help-title = Buying more seats
seats_help-heading = Max license users number reached
seats_help-intro = Each subscription of your license brings a number of seats, one per license user. When every seat is taken, nobody else can be assigned until you have more.
seats_help-how = How to get more seats
seats_help-step1 = Buy additional subscriptions of the same product from your software vendor (upgrade or update your plan on their website, or contact their sales team).
seats_help-step2 = The vendor adds them to your existing license: you keep one license, and its number of seats grows. There is nothing to activate again.
seats_help-step3 = Back on the license's Users tab, assign the new license users.
seats_help-free = Or free a seat: unassign someone who no longer uses the software. Their devices are deactivated without using a deactivation.
seats_help-back = Back to your licenses

# Vendor console
admin-title = Vendor console
admin-brand = Keyport · Vendor console
admin-customers = Customers
admin-audit = Audit log
admin-search_label = Search customers
admin-search = Search
admin-no_customers = No customer matches.
admin-since = Since
admin-create_customer = Create customer
admin-customer_name = Customer name
admin-customer_created = The customer was created.
admin-customer_renamed = The customer was renamed.
admin-no_seat = no seat
admin-add_account = Add account
admin-customer_log = This customer's audit log
admin-rename = Rename
admin-no_licenses = No license yet: sell one below.
admin-sell = Sell license
admin-sell_first_account = Add the account of the person who bought it first; they become its owner.
admin-owner = Owner
admin-subscriptions_bought = Subscriptions bought
admin-seats_per_subscription = Seats per subscription
admin-devices_per_subscription = Devices per subscription
admin-deactivations_allowed = Deactivations allowed
admin-valid_days = Valid for (days)
admin-license_created = The license was created.
admin-subscriptions_added = { $subscriptions } added.
admin-limits_saved = The limits were saved.
admin-limit_reset = The deactivation limit was reset: every deactivation is available again.
admin-license_suspended = The license was suspended.
admin-license_resumed = The license was resumed.
admin-license_key = License key (shown only now; Keyport keeps only its hash): { $key }
admin-reset_limit = Reset deactivation limit
admin-reset_limit_hint = When the customer has used every deactivation and asks for more. The reason goes into the audit log.
admin-reason = Reason
admin-limits = Limits
admin-valid_until_utc = Valid until (UTC)
admin-save_limits = Save limits
admin-add_subscriptions = Add subscriptions
admin-subscriptions_to_add = Subscriptions to add
admin-suspend = Suspend license
admin-resume = Resume license
admin-suspend_hint = A suspended license refuses the desktop app until it is resumed.
admin-license_log = This license's audit log
admin-who_filter = Who (name or email)
admin-kind = Kind
admin-any = Any
admin-from = From
admin-to = To
admin-filter = Filter
admin-clear = Clear
admin-license = License
admin-details = Details
admin-system = System

# Vendor console: LicenseSpring SDK page
integrations-nav = Integrations
integrations-title = Integrations
integrations-intro = Connect your own systems to Keyport: a web shop sells licenses and reads them through the management API with a key made here.
integrations-keys = Management API keys
integrations-keys_hint = A key acts for your company only and is shown once, when it is made. Its changes appear in the log as “API key” and its name. The API is described at /api/v1/manage/openapi.json.
integrations-key_name = Name
integrations-create_key = Create key
integrations-created = The key { $name } was created.
integrations-new_key = Copy the key now; it is not shown again: { $key } Send it as “Authorization: Bearer” with every request.
integrations-revoked_note = The key was revoked. Requests with it are refused from now on.
integrations-no_keys = There are no keys yet.
integrations-prefix = Key starts with
integrations-created_at = Created
integrations-created_by = Created by
integrations-last_used = Last used
integrations-status = Status
integrations-never = Never
integrations-revoke = Revoke
integrations-revoked = Revoked
webhooks-title = Webhooks
webhooks-hint = Keyport posts your company's events to these addresses as they happen, as JSON signed with the endpoint's secret (the Keyport-Signature header; the README shows how to check it). A failed delivery is tried again for a day; the order of a license's events is kept.
webhooks-url = Endpoint address
webhooks-events = Events
webhooks-add = Add endpoint
webhooks-created = The endpoint { $url } was added.
webhooks-new_secret = Copy its signing secret now; it is not shown again: { $secret }
webhooks-deleted = The endpoint was deleted. Nothing more is sent to it.
webhooks-redelivered = The delivery was queued again.
webhooks-none = There are no webhook endpoints yet.
webhooks-delete = Delete
webhooks-deliveries = Recent deliveries
webhooks-no_deliveries = Nothing was sent yet.
webhooks-event = Event
webhooks-attempts = Attempts
webhooks-redeliver = Redeliver
webhooks-status-delivered = Delivered
webhooks-status-failed = Given up
webhooks-status-waiting = Waiting
webhooks-status-retrying = Retrying
licensespring-nav = LicenseSpring SDK
licensespring-title = LicenseSpring SDK
licensespring-intro = Apps built on LicenseSpring's SDK activate against Keyport with these settings: pass them to the SDK's Configuration, and the public key to a SignatureVerifier subclass (see "Migrating from LicenseSpring" in the README).
licensespring-configuration = Configuration
licensespring-reveal = Reveal
licensespring-hide = Hide
licensespring-no_products = No product yet: sell a license first.
licensespring-public_key = Public key
licensespring-public_key_hint = Keyport signs its answers with this RSA key; the app's SignatureVerifier.PUBLIC_KEY holds it, so the app accepts only this server's answers.
licensespring-public_key_pem = Public key (PEM)
licensespring-copy = Copy
licensespring-copied = Copied.
licensespring-rotate = Rotate shared key
licensespring-rotate_hint = For a shared key that got out. The API key and the public key stay.
licensespring-rotate_confirm_title = Rotate the shared key?
licensespring-rotate_confirm_text = The current shared key stops working at once: every app built with it is refused until it is rebuilt with the new one.
licensespring-rotate_submit = Rotate now
licensespring-rotated = The shared key was rotated. Apps built with the old one are refused until they are rebuilt with the new one.

# Audit log: kinds and actions
audit-kind-device = Devices
audit-kind-license = Licenses
audit-kind-user = Users
audit-kind-customer = Customers
audit-kind-signing_key = Signing keys
audit-action-device-activated = Device activated
audit-action-device-reactivated = Device activated again (new token)
audit-action-device-activated_offline = Device activated offline (license file issued)
audit-action-device-reactivated_offline = Offline license file issued again
audit-action-device-deactivated_by_app = Device deactivated by the app
audit-action-device-reset = Device reset
audit-action-device-removed_by_vendor = Device removed by the vendor
audit-action-device-limit_refused = Activation refused: too many devices
audit-action-license-reset = License reset
audit-action-license-created = License created
audit-action-license-key_issued = License key issued
audit-action-signing_key-created = Signing key created
audit-action-signing_key-licensespring_created = LicenseSpring API keys created
audit-action-signing_key-licensespring_rotated = LicenseSpring shared key rotated
audit-action-signing_key-api_key_created = Management API key created
audit-action-signing_key-api_key_revoked = Management API key revoked
audit-action-tenant-webhook_redelivered = Webhook delivery sent again
audit-action-tenant-webhook_deleted = Webhook endpoint deleted
audit-action-tenant-webhook_created = Webhook endpoint registered
audit-action-license-subscriptions_added = Subscriptions added
audit-action-customer-created = Customer created
audit-action-customer-renamed = Customer renamed
audit-action-tenant-created = Vendor created
audit-action-tenant-mail_settings_changed = Email settings changed
audit-action-license-deactivation_limit_reset = Deactivation limit reset by the vendor
audit-action-license-limits_changed = Limits changed by the vendor
audit-action-license-suspended = License suspended
audit-action-license-resumed = License resumed
audit-action-user-created = User created
audit-action-user-assigned = User assigned
audit-action-user-unassigned = User unassigned
audit-action-user-role_changed = Role changed
audit-action-user-password_set = Password set
audit-kind-tenant = Vendor
audit-subject-account_assigned = { $person }, given a seat
audit-subject-unassigned = { $person }; { $devices } deactivated
audit-subject-role_changed = { $person }: { $role }
audit-subject-license_sold = { $type } for { $email }
audit-subject-license_key = License key (never shown in the log)
audit-action-customer-imported = Customer imported
audit-action-user-imported = User imported
audit-action-user-seat_imported = Seat imported
audit-action-license-imported = License imported (key kept)
audit-action-device-imported = Active device imported
audit-subject-imported = { $name } (import file line { $line })
audit-subject-mail_settings = default language { $language }, support address { $support }
audit-subject-subscriptions_added = { $subscriptions } more
audit-subject-license_reset = { $devices } deactivated; { $users } unassigned
audit-subject-deactivation_limit_reset = { $used } used before; reason: { $reason }
audit-subject-limits = Seats { $seats }, devices { $devices }, deactivations { $deactivations }, valid until { $until }
audit-subject-tenant = { $name }, vendor admin { $email }

# Errors (licensing::AppError)
error-unauthenticated = Please log in to continue.
error-invalid_credentials = The company ID, email or password is incorrect.
error-forbidden = You do not have permission to do that.
error-not_found = That { $what } was not found, or you do not have access to it.
error-invalid = { $field }: { $message }
error-too_many_devices = This license is activated on too many devices (the limit is { $allowed }). Reset a device on the license's Devices tab to free a slot.
error-deactivation_limit_reached = The deactivation limit is reached: all { $allowed } device resets of this license are used. Contact your vendor to reset the limit.
error-seat_limit_reached = Max license users number reached ({ $allowed } seats). Buy additional subscriptions to assign more users.
error-no_license = No license is assigned to this account. Ask your license manager to assign you to a license.
error-license_inactive = This license is expired or suspended. Contact your vendor to renew it.
error-device_deactivated = This device was deactivated. Activate it again to use the software on it.
error-too_many_attempts = Too many failed attempts. Try again in { $minutes }.
error-unavailable = Keyport is temporarily unavailable. Please try again in a moment.
error-busy = Keyport is busy right now. Please try again in a moment.
error-offline = Could not reach the server. Check your connection and try again.
error-internal = Something went wrong on our side. Please try again; if it keeps happening, contact your vendor.

# What was not found (licensing::Thing)
thing-account = account
thing-company = company
thing-customer = customer
thing-device = device
thing-license = license
thing-message = email
thing-api_key = API key
thing-webhook_delivery = webhook delivery
thing-webhook_endpoint = webhook endpoint
thing-record = record
thing-user = user

# Field names of invalid input (licensing::Field); the API's and the CLI's names stay as they are
field-company_id = Company ID
field-email = Email
field-password = Password
field-confirm_password = Confirm password
field-name = Name
field-kind = Kind
field-subscriptions = Subscriptions
field-seats = Seats
field-devices = Devices
field-deactivations = Deactivations
field-valid_until = Valid until
field-valid_for = Valid for
field-language = Language
field-support_email = Support email
field-owner = Owner
field-product = Product
field-reason = Reason
field-link = Link
field-customer = Customer
field-type = Type
field-role = Role
field-activation_request = Activation request
field-form = form

# Why input was refused (licensing::InvalidReason); shown after the field's name
invalid-required = is required.
invalid-required_for_audit = is required: say why the limit is lifted (it goes into the audit log).
invalid-too_long = must be at most { $max } characters.
invalid-at_least = must be at least { $min }.
invalid-at_most = must be at most { $max }.
invalid-not_negative = must not be negative.
invalid-contains_nul = must not contain a NUL character.
invalid-line_break = must be on one line.
invalid-common_password = is one of the most common passwords, which attackers try first. Choose another.
invalid-password_mismatch = does not match the password.
invalid-email_format = enter an address like name@example.com.
invalid-company_id_format = use 1 to 64 letters, digits, '-' or '_'.
invalid-date_format = enter a date like 2027-12-31.
invalid-unknown_kind = is not a kind of event.
invalid-unknown_role = must be manager or user.
invalid-unknown_language = must be one of the portal’s languages: English, Deutsch, Français or Español.
invalid-no_license_type = choose a license type.
invalid-after_start = must be after the start date.
invalid-no_later_than_days = must be no later than { $days } days from today.
invalid-not_of_customer = must be an account of this customer.
invalid-customer_mismatch = customer accounts need a customer, vendor staff none.
invalid-would_exceed = the license would exceed { $max }; add fewer subscriptions.
invalid-personal_one_user = a Personal license has exactly one user.
invalid-below_seats_in_use = { $used } are in use; unassign users before lowering it below that.
invalid-below_devices_active = { $active } are active; reset devices before lowering it below that.
invalid-below_deactivations_used = { $used } are used; reset the deactivation limit before lowering it below that.
invalid-link_unusable = it is unknown, already used or expired. Ask your license manager for a new one.
invalid-request_missing = choose the request file the desktop app wrote, or paste its contents.
invalid-request_too_large = the file is larger than { $kib } KiB; choose the request file the desktop app wrote.
invalid-request_unreadable = this is not a Keyport activation request ({ $detail }).
invalid-other_license = this request is for another license.
invalid-form_unsent = send the form with the request file or its pasted contents.
invalid-form_unreadable = the form could not be read; please try again.
invalid-too_short = must be at least { $min } characters.
invalid-required_for_new_owner = is required when the owner has no account yet.
invalid-key_or_login = is required, or company, email and password.
invalid-key_with_login = cannot be combined with company, email and password: send one or the other.
invalid-other_customer = that account belongs to another customer.
invalid-no_vendor_admin = no vendor admin with that email in that company ID.
invalid-not_vendor_admin = that account is not a vendor admin of the tenant.
invalid-request_not_json = this is not a Keyport activation request (not JSON: { $detail }).
invalid-request_no_format = this is not a Keyport activation request (no "format": "{ $expected }").
invalid-format_unsupported = "{ $given }" is not supported; this portal reads "{ $expected }".
invalid-not_json_object = must be a JSON object.
invalid-not_json = is not valid JSON.
invalid-unknown_field = is not a known field.
invalid-not_valid = is invalid: { $detail }.
invalid-unreadable = could not be read.
invalid-stdin_unreadable = could not be read from stdin.
invalid-malformed = { $detail }

# Conflicts (licensing::ConflictReason)
conflict-already_exists = That already exists.
conflict-company_taken = The company ID { $company } is taken.
conflict-email_taken = An account with the email { $email } already exists. Assign it instead of creating it again.
conflict-personal_has_no_users = A Personal license has exactly one user; there are no users to manage.
conflict-license_changed = The license changed while the account was being created. Try again.
conflict-already_assigned = That person is already a user of this license.
conflict-last_manager = A license needs at least one license manager. Make someone else a manager first.
conflict-nothing_to_reset = There is nothing to reset: no device is active and no license user is assigned.
conflict-invitation_used = This person has already chosen a password, so there is no invitation to resend. If they forgot it, they can use “Forgot your password?” on the login page.
conflict-device_already_reset = The device "{ $name }" was already reset.
conflict-already_manager = { $name } is already a license manager.
conflict-already_user = { $name } is already a license user.
conflict-already_suspended = The license is already suspended.
conflict-already_active = The license is already active.
conflict-other_license_type = The customer's license for { $product } is of another type ({ $type }); change its type instead of buying another kind.
conflict-offline_only = Offline activation is only for Offline Organisation licenses, and this one is of another type ({ $type }). Activate the desktop app online instead.
conflict-order_reused = The order { $order } was already placed with different contents. Send a new order id for a new order.
conflict-order_in_progress = The order { $order } is being placed by another request. Send it again in a moment to get its answer.
conflict-owner_of_other_customer = { $email } already has an account of another customer. Use another email for this customer's owner.

# Seats an account holds, in the vendor console
seat-manager_of = License manager of { $product }
seat-user_of = License user of { $product }

outbox-nav = Email
outbox-title = Email
outbox-intro = Every email Keyport wrote for your customers, newest first. Without an SMTP server (--smtp-url) messages wait here, so you can see exactly what would be sent.
outbox-settings = Email settings
outbox-default_language = Language of email to people who never chose one
outbox-support_email = Support address (replies go here)
outbox-support_hint = Leave the support address empty to let replies go to the sender address (--mail-from). Everyone else gets email in the language they last used in the portal.
outbox-settings_save = Save email settings
outbox-settings_saved = The email settings were saved.
outbox-empty = No email yet.
outbox-to = To
outbox-subject = Subject
outbox-kind = Kind
outbox-status = Status
outbox-pages = Pages of email
outbox-newer = Newer
outbox-older = Older
outbox-text = Text
outbox-last_error = Last error
outbox-status-waiting = Waiting to be sent
outbox-status-retrying = Not delivered yet; will retry
outbox-status-sent = Sent
outbox-status-failed = Not delivered (given up)
outbox-kind-credentials = Credentials after a purchase
outbox-kind-receipt = Receipt for new subscriptions
outbox-kind-invitation = Invitation
outbox-kind-invitation_refused = Invitation refused
outbox-kind-password_reset = Password reset
outbox-kind-password_changed = Password changed

## Imports (keyport import licensespring): the report
import-refused-unreadable = the row cannot be read ({ $detail })
import-refused-missing = { $field } is missing
import-refused-bad_value = { $field } “{ $value }” is not { $expected }
import-expected-whole_number = a whole number from 0 to { $max }
import-expected-true_or_false = true or false
import-expected-license_type = perpetual, time-limited or subscription
import-expected-license_id = a LicenseSpring license id (a whole number)
import-expected-email = an email address
import-expected-date_or_time = a date (2024-09-27) or a time (2024-09-27T23:30:48Z)
import-expected-plain_text = text without control characters
import-expected-at_most = text of at most { $chars } characters
import-expected-free_product_code = a short code no other product is named after
import-refused-key_on_another_customer = this license key is another customer's license here
import-refused-key_taken = this license key is already in use on this server
import-refused-id_on_another_license = license id { $id } is another license's here
import-refused-customer_has_product = the customer has a { $product } license already (Keyport keeps one license per customer and product; add subscriptions to it instead)
import-refused-email_of_another_customer = { $email } is an account of another customer here
import-refused-unknown_license = no license { $license } in the licenses file or here: import the licenses first
import-refused-floating = floating licenses are not supported
import-refused-consumption = consumption licenses are not supported
import-refused-device_limit = the license's device limit ({ $allowed }) is reached; the device was not imported
import-refused-seat_limit = Max license users number reached ({ $allowed })
import-refused-duplicate = the same entry came earlier, on line { $line }, with other values
import-refused-row = { $file }, line { $line }: { $reason }
import-file-licenses = licenses file
import-file-users = users file
import-file-devices = devices file
import-object-product = Products
import-object-customer = Customers
import-object-account = Accounts
import-object-license = Licenses
import-object-seat = Seats
import-object-device = Active devices
import-dry_run = Dry run: nothing was written. The import would change this:
import-count = { $object }: { $created } created, { $unchanged } already there
import-count-dry = { $object }: { $created } to create, { $unchanged } already there
import-nothing_changed = Nothing changed: everything in these files is here already.
import-unknown_columns = Columns ignored (not LicenseSpring's): { $columns }
import-refused =
    { $n ->
        [one] { $n } row refused (the rest was imported):
       *[other] { $n } rows refused (the rest was imported):
    }
import-refused-dry =
    { $n ->
        [one] { $n } row would be refused (the rest would be imported):
       *[other] { $n } rows would be refused (the rest would be imported):
    }
import-notified =
    { $n ->
        [one] { $n } set-password invitation queued: the running server emails it.
       *[other] { $n } set-password invitations queued: the running server emails them.
    }

## Vendor console: the import
field-licenses_file = Licenses file
field-users_file = Users file
field-devices_file = Devices file
invalid-no_import_file = choose at least one file: licenses, users or devices.
invalid-file_too_large = the upload is larger than { $mib } MiB; split the export, or ask your administrator to raise --import-max-mib.
invalid-not_utf8 = is not UTF-8 text; save the file as UTF-8 and upload it again.
thing-import_job = import
imports-nav = Import
imports-title = Import from LicenseSpring
imports-intro = Move your customers in with their license keys, users and active devices. Keys and LicenseSpring's license ids are kept, so installed apps keep working without re-activating. Running the same files twice changes nothing the first run wrote.
imports-upload = Upload an export
imports-upload_hint = The licenses CSV as LicenseSpring exports it; users and devices as JSON lines (see the README). Choose any of the three: devices and users name licenses imported before.
imports-license_type = Type of the imported licenses
imports-deactivations = Deactivations allowed per license
imports-dry_run_label = Dry run: check every row and report what would change, write nothing
imports-start = Start the import
imports-invitations = Set-password emails
imports-awaiting =
    { $n ->
        [one] { $n } imported person has no password yet and no usable set-password link.
       *[other] { $n } imported people have no password yet and no usable set-password link.
    }
imports-notify = Send set-password emails
imports-none = No imports yet.
imports-latest = Latest imports
imports-by = By
imports-files = Files
imports-status-queued = Waiting to start
imports-status-starting = Reading the files
imports-status-running = Running: { $done } of { $total } rows
imports-status-checked = Checked (dry run)
imports-status-done = Done
imports-status-failed = Stopped: the database failed
imports-job_title = Import
imports-back = All imports
imports-progress = Progress
imports-speed = { $rate } rows per second, about { $left } s left
imports-speed-minutes = { $rate } rows per second, about { $left } min left
imports-resumed = The server stopped while this import ran; it was resumed from the start of its files (what was imported before counts as already there).
imports-failed_hint = The import stopped because the database failed. Whole batches imported before stay; upload the same files again to finish: nothing is imported twice.
imports-report = Report
imports-more_refused =
    { $n ->
        [one] …and { $n } more refused row in the downloaded report.
       *[other] …and { $n } more refused rows in the downloaded report.
    }
imports-download = Download the report
imports-download_json = as JSON
