"""Plain data files shipped with the app: seed data, fonts, icons, styles."""
