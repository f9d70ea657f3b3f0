"""What every provider shares: the normalizer registry, quarantine handling, and (with the first
provider) the sync runner. A provider package never touches locking, cursors or the database."""
