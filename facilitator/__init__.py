"""The facilitator side: accounts, dashboard, control room, projector, API and namespaces."""
