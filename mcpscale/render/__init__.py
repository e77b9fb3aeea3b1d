"""What people see: one style for numbers, money and dates; tables; charts; the report."""
