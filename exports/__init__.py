"""Officers' response exports in the web interface: requested on a page, written in the background by a
task (Django's tasks framework, django-tasks-db's database-backed worker: `manage.py db_worker`), watched
on a page with a "Check if it is ready" button, then downloaded. The files themselves are written by
`surveys.exports`."""
